/// SMTP's DATA transparency (RFC 5321 §4.5.2): the message ends at a line
/// holding a single `.`, so every line of the message that starts with `.`
/// gets a second one, which the server removes.
enum SMTPDotStuffing {
    /// The bytes to send after the server's 354: stuffed, ending in CRLF, then `.` CRLF.
    static func dataSection(for message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
            output.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !output.isEmpty && !output.ends(with: [UInt8(ascii: "\r"), UInt8(ascii: "\n")]) {
            output += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        }
        output += [UInt8(ascii: "."), UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        return output
    }
}
