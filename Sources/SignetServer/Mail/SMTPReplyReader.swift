import NIOCore
import NIOSSL

/// The inbound end of an SMTP connection: splits the server's bytes into
/// lines, joins lines into replies, and hands each reply to the next caller
/// waiting for one (or keeps it until someone asks). Lives on the channel's
/// event loop; the client reaches it through `NIOLoopBound`.
final class SMTPReplyReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// RFC 5321 allows 512 octets per reply line; some servers send longer
    /// EHLO lines, and anything past this is not an SMTP server.
    static let maximumLineLength = 4_096

    private var buffer = ByteBuffer()
    private var assembler = SMTPReplyAssembler()
    private var unclaimedReplies = CircularBuffer<SMTPReply>()
    private var waiting = CircularBuffer<EventLoopPromise<SMTPReply>>()
    /// Once set, every later request fails with it: the connection is done.
    private(set) var failure: SMTPError?

    /// Whether anything has arrived that no one asked for yet. Must be false
    /// when TLS starts: bytes sent in clear after the server's 220 to
    /// STARTTLS would otherwise be taken as the first reply over TLS.
    var hasUnreadInput: Bool {
        !unclaimedReplies.isEmpty || buffer.readableBytes > 0 || assembler.isInsideReply
    }

    func nextReply(_ promise: EventLoopPromise<SMTPReply>) {
        if let failure {
            promise.fail(failure)
        } else if let reply = unclaimedReplies.popFirst() {
            promise.succeed(reply)
        } else {
            waiting.append(promise)
        }
    }

    /// Ends the exchange: whoever waits, and whoever asks later, gets `error`.
    func fail(_ error: SMTPError) {
        if failure == nil { failure = error }
        while let promise = waiting.popFirst() { promise.fail(failure!) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        do {
            try readReplies()
        } catch {
            fail(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            fail(.tlsFailed(String(describing: error)))
        } else {
            fail(.transportFailed(String(describing: error)))
        }
        context.close(promise: nil)
    }

    private func readReplies() throws(SMTPError) {
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer.readBytes(length: newline - buffer.readerIndex)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard line.count <= Self.maximumLineLength else { throw .replyLineTooLong }
            guard let reply = try assembler.add(line) else { continue }
            if let promise = waiting.popFirst() {
                promise.succeed(reply)
            } else {
                unclaimedReplies.append(reply)
            }
        }
        guard buffer.readableBytes <= Self.maximumLineLength else { throw .replyLineTooLong }
        buffer.discardReadBytes()
    }
}
