import Testing

@testable import SignetServer

@Suite("SMTP replies")
struct SMTPReplyTests {
    static func feed(_ lines: [String]) throws -> [SMTPReply] {
        var assembler = SMTPReplyAssembler()
        return try lines.compactMap { line throws(SMTPError) in try assembler.add(Array(line.utf8)) }
    }

    @Test("a multi-line EHLO reply is one reply, with its extensions and AUTH mechanisms")
    func multiLine() throws {
        let replies = try Self.feed([
            "250-smtp.example.com greets you", "250-PIPELINING", "250-SIZE 35882577", "250-STARTTLS",
            "250-AUTH LOGIN PLAIN XOAUTH2", "250-AUTH=LOGIN", "250 8BITMIME",
        ])
        #expect(replies.count == 1)
        let reply = try #require(replies.first)
        #expect(reply.code == 250)
        #expect(reply.lines.first == "smtp.example.com greets you")
        #expect(reply.extensionKeywords == ["PIPELINING", "SIZE", "STARTTLS", "AUTH", "AUTH=LOGIN", "8BITMIME"])
        #expect(reply.authenticationMechanisms == ["LOGIN", "PLAIN", "XOAUTH2"])
    }

    @Test("single-line replies, a bare code, and replies in a row")
    func singleLines() throws {
        let replies = try Self.feed(["220 ready", "250", "354 go ahead", "550-5.1.1 no such user", "550 5.1.1 really"])
        #expect(replies.map(\.code) == [220, 250, 354, 550])
        #expect(replies[1].lines == [""])
        #expect(replies[3].text == "5.1.1 no such user / 5.1.1 really")
        #expect(replies[3].description == "550 5.1.1 no such user / 5.1.1 really")
    }

    @Test("lines that are not replies are refused", arguments: [
        ["hello"], ["25 short"], ["2500 four digits"], ["250x"], ["099 low"], ["600 high"], ["250-a", "251 b"], [""],
    ])
    func malformed(_ lines: [String]) {
        #expect(throws: SMTPError.self) { try Self.feed(lines) }
    }
}
