import Crypto
import Foundation
import SignetCore

/// An e-mail as Signet sends it: UTF-8 text, optionally with an HTML
/// alternative, rendered to the exact bytes handed to SMTP.
///
/// Every value that becomes a header is checked when the message is made, so
/// a subject or address taken from user input can never add a header line
/// (CR or LF) or change the envelope. Every recipient is listed in `To:`.
public struct MailMessage: Sendable {
    public let from: String
    public let to: [String]
    public let subject: String
    public let textBody: String
    public let htmlBody: String?
    /// Without the angle brackets: `left@right`.
    public let messageID: String
    public let date: Date

    /// - Parameters:
    ///   - messageID: left out, a random id in the sender's domain.
    public init(
        from: String, to: [String], subject: String, textBody: String, htmlBody: String? = nil,
        messageID: String? = nil, date: Date = Date()
    ) throws(MailMessageError) {
        try Self.checkAddress(from, field: "From")
        guard !to.isEmpty else { throw .noRecipients }
        for recipient in to { try Self.checkAddress(recipient, field: "To") }
        if Self.hasLineBreak(subject) { throw .headerInjection(field: "Subject") }
        let messageID = messageID ?? Self.randomMessageID(domain: String(from[from.index(after: from.lastIndex(of: "@")!)...]))
        if Self.hasLineBreak(messageID) { throw .headerInjection(field: "Message-ID") }
        guard Self.isMessageID(messageID) else { throw .invalidMessageID(messageID) }
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.messageID = messageID
        self.date = date
    }

    /// The message as it goes after SMTP's DATA (before dot-stuffing): CRLF
    /// line breaks, 7-bit, no line over 998 octets. The same message always
    /// renders to the same bytes; the multipart boundary comes from the message id.
    public func rendered() -> [UInt8] {
        var headers = [
            "Date: \(RFC5322Date.format(date))",
            "From: \(from)",
            Self.foldedAddressList(name: "To", to),
            "Subject: \(EncodedWord.headerValue(subject))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
        ]
        var body: [UInt8]
        if let htmlBody {
            let boundary = self.boundary
            headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            body = Array("--\(boundary)\r\n".utf8)
            body += Self.part(mediaType: "text/plain", text: textBody)
            body += Array("\r\n--\(boundary)\r\n".utf8)
            body += Self.part(mediaType: "text/html", text: htmlBody)
            body += Array("\r\n--\(boundary)--\r\n".utf8)
        } else {
            let text = Self.withCRLF(textBody)
            let encoding = MailBodyEncoding.suited(to: text)
            headers.append("Content-Type: text/plain; charset=utf-8")
            headers.append("Content-Transfer-Encoding: \(encoding.rawValue)")
            body = encoding.encode(text)
            if !body.ends(with: [UInt8(ascii: "\r"), UInt8(ascii: "\n")]) { body += [UInt8(ascii: "\r"), UInt8(ascii: "\n")] }
        }
        return Array((headers.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body
    }

    /// Begins with `=_`, which quoted-printable and base64 output can never
    /// contain, so no body line can be mistaken for a boundary.
    var boundary: String {
        "=_" + Hex.encode(SHA256.hash(data: Array(messageID.utf8)).prefix(16))
    }

    private static func part(mediaType: String, text: String) -> [UInt8] {
        let bytes = withCRLF(text)
        let encoding = MailBodyEncoding.suited(to: bytes)
        let headers = "Content-Type: \(mediaType); charset=utf-8\r\nContent-Transfer-Encoding: \(encoding.rawValue)\r\n\r\n"
        return Array(headers.utf8) + encoding.encode(bytes)
    }

    /// Text bodies are CRLF on the wire, whatever the caller's line breaks.
    static func withCRLF(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 16)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                if previous != UInt8(ascii: "\r") { output.append(UInt8(ascii: "\r")) }
            } else if previous == UInt8(ascii: "\r") {
                output.append(UInt8(ascii: "\n"))
            }
            output.append(byte)
            previous = byte
        }
        if previous == UInt8(ascii: "\r") { output.append(UInt8(ascii: "\n")) }
        return output
    }

    /// One line while short; many recipients continue on folded lines.
    private static func foldedAddressList(name: String, _ addresses: [String]) -> String {
        var header = "\(name): "
        var lineLength = header.count
        for (index, address) in addresses.enumerated() {
            if index > 0 {
                header += ","
                lineLength += 1
                if lineLength + 1 + address.count > 78 {
                    header += "\r\n"
                    lineLength = 0
                }
                header += " "
                lineLength += 1
            }
            header += address
            lineLength += address.count
        }
        return header
    }

    private static func hasLineBreak(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
    }

    /// A plain `local@domain` in printable ASCII, without the characters that
    /// would end or extend an address in a header or an SMTP command.
    static func checkAddress(_ address: String, field: String) throws(MailMessageError) {
        if hasLineBreak(address) { throw .headerInjection(field: field) }
        let forbidden = Set("<>()[]\\,;:\" ".utf8)
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }),
              let at = address.lastIndex(of: "@"), at != address.startIndex, address.index(after: at) != address.endIndex
        else { throw .invalidAddress(address) }
    }

    private static func isMessageID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        return bytes.count <= 250 && bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
            && bytes.filter({ $0 == UInt8(ascii: "@") }).count == 1 && bytes.first != UInt8(ascii: "@") && bytes.last != UInt8(ascii: "@")
    }

    private static func randomMessageID(domain: String) -> String {
        "\(SecretToken.generate(byteCount: 18))@\(domain)"
    }
}

public enum MailMessageError: Error, Equatable, CustomStringConvertible {
    /// A CR or LF in a value that becomes a header: someone trying to add headers or recipients.
    case headerInjection(field: String)
    case invalidAddress(String)
    case noRecipients
    case invalidMessageID(String)

    public var description: String {
        switch self {
        case .headerInjection(let field): "a line break in the \(field) header's value is refused"
        case .invalidAddress(let address): "not a plain e-mail address (local@domain, ASCII): \(address.debugDescription)"
        case .noRecipients: "a message needs at least one recipient"
        case .invalidMessageID(let id): "not a message id (left@right, printable ASCII): \(id.debugDescription)"
        }
    }
}
