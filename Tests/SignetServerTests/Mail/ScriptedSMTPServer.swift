import NIOCore
import NIOPosix
import Synchronization

/// A fake SMTP server that answers each command from a script, for the
/// misbehaviours no well-made server shows: replies injected after STARTTLS,
/// replies cut across packets, odd refusals. Each string of an answer is
/// written and flushed on its own.
final class ScriptedSMTPServer: Sendable {
    typealias Script = @Sendable (_ command: String) -> [String]

    let port: Int
    private let channel: any Channel
    private let log: CommandLog

    /// Every command received, in order; a message's content shows as one `<message>` entry.
    var receivedCommands: [String] { log.all }

    private init(channel: any Channel, port: Int, log: CommandLog) {
        self.channel = channel
        self.port = port
        self.log = log
    }

    static func start(greeting: [String] = ["220 scripted ESMTP\r\n"], script: @escaping Script) async throws -> ScriptedSMTPServer {
        let log = CommandLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ScriptedSession(greeting: greeting, script: script, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return ScriptedSMTPServer(channel: channel, port: channel.localAddress!.port!, log: log)
    }

    func stop() {
        channel.close(promise: nil)
    }
}

/// The commands of every session, shared between the server and its sessions.
private final class CommandLog: Sendable {
    private let commands = Mutex<[String]>([])
    var all: [String] { commands.withLock { $0 } }
    func append(_ command: String) { commands.withLock { $0.append(command) } }
}

private final class ScriptedSession: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let greeting: [String]
    private let script: ScriptedSMTPServer.Script
    private let log: CommandLog
    private var buffer = ByteBuffer()
    private var inMessage = false

    init(greeting: [String], script: @escaping ScriptedSMTPServer.Script, log: CommandLog) {
        self.greeting = greeting
        self.script = script
        self.log = log
    }

    func channelActive(context: ChannelHandlerContext) {
        send(greeting, context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer.readString(length: newline - buffer.readerIndex)!
            buffer.moveReaderIndex(forwardBy: 1)
            if line.hasSuffix("\r") { line.removeLast() }
            if inMessage {
                guard line == "." else { continue }
                inMessage = false
                line = "<message>"
            }
            log.append(line)
            let answer = script(line)
            if line.uppercased() == "DATA", answer.first?.hasPrefix("354") == true { inMessage = true }
            send(answer, context: context)
        }
        buffer.discardReadBytes()
    }

    private func send(_ chunks: [String], context: ChannelHandlerContext) {
        for chunk in chunks {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: chunk)), promise: nil)
        }
    }
}
