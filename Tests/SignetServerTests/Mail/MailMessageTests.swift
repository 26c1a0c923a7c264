import Foundation
import SignetCore
import Testing

@testable import SignetServer

@Suite("Mail messages")
struct MailMessageTests {
    static let fixedDate = Date(timeIntervalSince1970: 1_770_127_509)  // 2026-02-03 14:05:09 UTC

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The value of one header, unfolded, from rendered bytes.
    static func header(_ name: String, in rendered: [UInt8]) -> String? {
        let head = text(rendered).components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        return head.components(separatedBy: "\r\n").first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
    }

    /// RFC 2047 B-encoded words decoded by hand, independently of `EncodedWord`.
    static func decodeEncodedWords(_ value: String) -> String {
        let words = value.split(separator: " ")
        var bytes = Data()
        for word in words {
            guard word.hasPrefix("=?utf-8?B?"), word.hasSuffix("?=") else { return value }
            bytes += Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("a plain ASCII message renders to the exact expected bytes")
    func exactBytes() throws {
        let message = try MailMessage(
            from: "alerts@signet.example", to: ["owner@brand.example"], subject: "Counterfeit scan",
            textBody: "A seal was scanned twice.\nSee the portal.", messageID: "abc123@signet.example", date: Self.fixedDate)
        #expect(Self.text(message.rendered()) == """
            Date: Tue, 03 Feb 2026 14:05:09 +0000\r
            From: alerts@signet.example\r
            To: owner@brand.example\r
            Subject: Counterfeit scan\r
            Message-ID: <abc123@signet.example>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            A seal was scanned twice.\r
            See the portal.\r

            """)
    }

    @Test("a non-ASCII subject becomes RFC 2047 encoded words that decode to it", arguments: [
        "Scan suspect : étiquette déjà vérifiée à Lyon",
        "Fälschung erkannt – Größe prüfen",
        "¿Señal de falsificación? Añadir revisión",
        "Ünïcödé 🚨 with an emoji and a very long tail that must be split across several encoded words, really",
        "Tab\tin subject",
        "Looks like =?utf-8?B?ZW5jb2RlZA==?= but is not",
    ])
    func encodedSubject(_ subject: String) throws {
        let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: subject, textBody: "x")
        let rendered = message.rendered()
        let raw = Self.text(rendered).components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject: ") }
        #expect(raw.first?.hasPrefix("Subject: =?utf-8?B?") == true)
        let lines = Self.text(rendered).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(rendered.allSatisfy { $0 < 0x80 })
        let value = try #require(Self.header("Subject", in: rendered))
        for word in value.split(separator: " ") { #expect(word.count <= 75) }
        #expect(Self.decodeEncodedWords(value) == subject)
    }

    @Test("an ASCII subject stays readable")
    func asciiSubject() throws {
        let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "Weekly report: 12 scans", textBody: "x")
        #expect(Self.header("Subject", in: message.rendered()) == "Weekly report: 12 scans")
    }

    @Test("accented text survives quoted-printable, with lines of at most 76 characters")
    func quotedPrintableBody() throws {
        let body = "Bonjour Élodie,\n\nLe sceau n° 4711 a été scanné à Besançon — vérifiez l’étiquette.\n"
            + "Grüße aus München; año, niño, señal. " + String(repeating: "très long ", count: 20) + "\nFin.   \n"
        let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "x", textBody: body)
        let rendered = Self.text(message.rendered())
        #expect(Self.header("Content-Transfer-Encoding", in: message.rendered()) == "quoted-printable")
        let encodedBody = rendered.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        #expect(encodedBody.contains("=C3=89lodie"))
        #expect(encodedBody.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        let decoded = try #require(QuotedPrintable.decode(Array(encodedBody.utf8)))
        #expect(Self.text(decoded) == body.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("quoted-printable round trip", arguments: [
        "", "plain", "a=b", "trailing space ", "trailing tab\t", " \t ", "=\r\n=", "line\r\n\r\nafter blank",
        String(repeating: "x", count: 300), String(repeating: "é", count: 100), String(repeating: "a ", count: 80),
        "\u{0}\u{1}\u{7F}", "Ça coûte 5 € — «ok»", ".starts with a dot\r\n.",
    ])
    func quotedPrintableRoundTrip(_ text: String) throws {
        let bytes = Array(text.utf8)
        let encoded = QuotedPrintable.encode(bytes)
        #expect(encoded.allSatisfy { $0 < 0x80 })
        #expect(Self.text(encoded).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 && !$0.hasSuffix(" ") && !$0.hasSuffix("\t") })
        #expect(QuotedPrintable.decode(encoded) == bytes)
    }

    @Test("mostly non-ASCII text goes in base64 lines of 76 characters, and decodes back")
    func base64Body() throws {
        let body = String(repeating: "Αυτή η σφραγίδα σαρώθηκε δύο φορές. Проверьте этикетку. ", count: 6)
        let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "x", textBody: body)
        let rendered = message.rendered()
        #expect(Self.header("Content-Transfer-Encoding", in: rendered) == "base64")
        let encodedBody = Self.text(rendered).components(separatedBy: "\r\n\r\n")[1]
        let lines = encodedBody.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        let decoded = try #require(Data(base64Encoded: lines.joined()))
        #expect(String(decoding: decoded, as: UTF8.self) == body)
    }

    @Test("an HTML alternative makes a multipart/alternative message with both parts")
    func multipart() throws {
        let message = try MailMessage(
            from: "a@b.example", to: ["c@d.example"], subject: "x", textBody: "Texte brut, déjà vu.\n",
            htmlBody: "<p>Texte <b>riche</b>, déjà vu.</p>\n", messageID: "m1@b.example", date: Self.fixedDate)
        let rendered = Self.text(message.rendered())
        let boundary = message.boundary
        #expect(boundary.hasPrefix("=_"))
        #expect(rendered.contains("Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n"))
        let parts = rendered.components(separatedBy: "--\(boundary)")
        #expect(parts.count == 4)
        #expect(parts[3] == "--\r\n")
        #expect(parts[1].contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nTexte brut, d=C3=A9j=C3=A0 vu.\r\n"))
        #expect(parts[2].contains("Content-Type: text/html; charset=utf-8\r\n"))
        #expect(parts[2].contains("<p>Texte <b>riche</b>, d=C3=A9j=C3=A0 vu.</p>"))
        // The same message renders to the same bytes.
        #expect(message.rendered() == message.rendered())
    }

    @Test("many recipients fold the To header")
    func manyRecipients() throws {
        let recipients = (1...12).map { "manager\($0)@brand-with-a-long-name.example" }
        let message = try MailMessage(from: "a@b.example", to: recipients, subject: "x", textBody: "x")
        let rendered = Self.text(message.rendered())
        #expect(rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(Self.header("To", in: message.rendered()) == recipients.joined(separator: ", "))
    }

    @Test("a line break in a header value is refused", arguments: [
        ("a@b.example", ["c@d.example"], "Hello\r\nBcc: victim@evil.example", nil, "Subject"),
        ("a@b.example", ["c@d.example"], "Hello\nX-Spam: no", nil, "Subject"),
        ("a@b.example", ["c@d.example"], "Hello\r", nil, "Subject"),
        ("a@b.example", ["c@d.example\r\nBcc: victim@evil.example"], "x", nil, "To"),
        ("a@b.example\n", ["c@d.example"], "x", nil, "From"),
        ("a@b.example", ["ok@d.example", "c@d.example\n"], "x", nil, "To"),
        ("a@b.example", ["c@d.example"], "x", "id@b.example\r\nBcc: v@e.example", "Message-ID"),
    ] as [(String, [String], String, String?, String)])
    func injection(_ from: String, _ to: [String], _ subject: String, _ messageID: String?, _ field: String) {
        #expect(throws: MailMessageError.headerInjection(field: field)) {
            try MailMessage(from: from, to: to, subject: subject, textBody: "x", messageID: messageID)
        }
    }

    @Test("addresses that are not plain local@domain are refused", arguments: [
        "", "no-at-sign", "@b.example", "a@", "a b@c.example", "<a@b.example>", "a@b.example>", "a@b.example,c@d.example",
        "Name <a@b.example>", "élodie@b.example", "a@b.example;", "\"quoted\"@b.example",
    ])
    func invalidAddresses(_ address: String) {
        #expect(throws: MailMessageError.invalidAddress(address)) {
            try MailMessage(from: "a@b.example", to: [address], subject: "x", textBody: "x")
        }
        #expect(throws: MailMessageError.invalidAddress(address)) {
            try MailMessage(from: address, to: ["a@b.example"], subject: "x", textBody: "x")
        }
    }

    @Test("a message needs a recipient and a well-formed id")
    func recipientsAndID() throws {
        #expect(throws: MailMessageError.noRecipients) { try MailMessage(from: "a@b.example", to: [], subject: "x", textBody: "x") }
        #expect(throws: MailMessageError.invalidMessageID("<x@y>")) {
            try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "x", textBody: "x", messageID: "<x@y>")
        }
        let generated = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "x", textBody: "x")
        #expect(generated.messageID.hasSuffix("@b.example"))
        let other = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "x", textBody: "x")
        #expect(other.messageID != generated.messageID)
    }

    @Test("DATA dot-stuffs lines that start with a dot and ends with a lone dot")
    func dotStuffing() {
        let data = SMTPDotStuffing.dataSection(for: Array(".first\r\nmiddle.\r\n.\r\n..two\r\nlast".utf8))
        #expect(Self.text(data) == "..first\r\nmiddle.\r\n..\r\n...two\r\nlast\r\n.\r\n")
        #expect(Self.text(SMTPDotStuffing.dataSection(for: Array("ends well\r\n".utf8))) == "ends well\r\n.\r\n")
        #expect(Self.text(SMTPDotStuffing.dataSection(for: [])) == ".\r\n")
    }

    @Test("a message body with dot lines is stuffed on the wire and intact after unstuffing")
    func dotStuffedMessage() throws {
        let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "x", textBody: "List:\n.\n.hidden\nend")
        let data = Self.text(SMTPDotStuffing.dataSection(for: message.rendered()))
        #expect(data.contains("\r\n..\r\n..hidden\r\n"))
        #expect(data.hasSuffix("end\r\n.\r\n"))
        let withoutEnd = String(decoding: data.utf8.dropLast(3), as: UTF8.self)  // ".\r\n"
        let unstuffed = withoutEnd.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }
        #expect(unstuffed.joined(separator: "\r\n") == Self.text(message.rendered()))
    }

    @Test("line breaks become CRLF whatever the caller used")
    func lineBreaks() {
        #expect(Self.text(MailMessage.withCRLF("a\nb\r\nc\rd\n\n")) == "a\r\nb\r\nc\r\nd\r\n\r\n")
        #expect(Self.text(MailMessage.withCRLF("end\r")) == "end\r\n")
    }

    @Test("dates follow RFC 5322 in UTC and agree with Foundation's formatter")
    func dates() {
        #expect(RFC5322Date.format(Self.fixedDate) == "Tue, 03 Feb 2026 14:05:09 +0000")
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: 1_709_251_199.9)) == "Thu, 29 Feb 2024 23:59:59 +0000")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let date = Date(timeIntervalSince1970: TimeInterval(Int64.random(in: 0...4_102_444_800, using: &generator)))
            #expect(RFC5322Date.format(date) == formatter.string(from: date))
        }
    }
}
