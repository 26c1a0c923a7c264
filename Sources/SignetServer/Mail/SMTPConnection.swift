import NIOCore
import NIOPosix
import NIOSSL
import SignetCore

/// One TCP connection to an SMTP server, with its deadline: when the
/// deadline passes, whatever is awaited fails with `timedOut` and the
/// connection closes.
final class SMTPConnection: Sendable {
    let channel: any Channel
    private let reader: NIOLoopBound<SMTPReplyReader>
    private let deadlineTask: Scheduled<Void>

    private init(channel: any Channel, reader: NIOLoopBound<SMTPReplyReader>, deadlineTask: Scheduled<Void>) {
        self.channel = channel
        self.reader = reader
        self.deadlineTask = deadlineTask
    }

    /// Connects, with TLS from the first byte when `tls` is given.
    static func open(
        host: String, port: Int, tls: NIOSSLContext?, deadline: NIODeadline, timeout: Duration,
        eventLoopGroup: any EventLoopGroup
    ) async throws(SMTPError) -> SMTPConnection {
        let serverHostname = Self.serverHostname(for: host)
        let eventLoop = eventLoopGroup.next()
        let channel: any Channel
        do {
            // Nothing is read until the reader is in place, so no reply (or failure)
            // can pass it by. It joins only the connection that won: with several
            // addresses for a name, other attempts also run the initializer.
            channel = try await ClientBootstrap(group: eventLoop)
                .channelOption(.autoRead, value: false)
                .connectTimeout(max(deadline - .now(), .zero))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                        }
                    }
                }
                .connect(host: host, port: port)
                .get()
        } catch ChannelError.connectTimeout {
            throw .timedOut(after: timeout)
        } catch {
            throw .connectionFailed(host: host, port: port, reason: String(describing: error))
        }
        let reader: NIOLoopBound<SMTPReplyReader>
        do {
            reader = try await eventLoop.submit {
                let reader = SMTPReplyReader()
                try channel.pipeline.syncOperations.addHandler(reader)
                try channel.syncOptions!.setOption(.autoRead, value: true)
                return NIOLoopBound(reader, eventLoop: eventLoop)
            }.get()
        } catch {
            channel.close(promise: nil)
            throw .transportFailed(String(describing: error))
        }
        let deadlineTask = eventLoop.scheduleTask(deadline: deadline) {
            reader.value.fail(.timedOut(after: timeout))
            channel.close(promise: nil)
        }
        return SMTPConnection(channel: channel, reader: reader, deadlineTask: deadlineTask)
    }

    /// The name TLS checks the certificate against and sends as SNI; an IP
    /// literal is not allowed in SNI, and NIOSSL then checks the peer address.
    static func serverHostname(for host: String) -> String? {
        IPAddress(host) == nil ? host : nil
    }

    var peerAddress: IPAddress? {
        channel.remoteAddress?.ipAddress.flatMap { IPAddress($0) }
    }

    func nextReply() async throws(SMTPError) -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let reader = self.reader
        channel.eventLoop.execute { reader.value.nextReply(promise) }
        do {
            return try await promise.futureResult.get()
        } catch {
            throw await explain(error)
        }
    }

    func write(_ bytes: [UInt8]) async throws(SMTPError) {
        do {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
        } catch {
            throw await explain(error)
        }
    }

    /// Starts TLS on the open connection, after the server's 220 to STARTTLS.
    func startTLS(context: NIOSSLContext, host: String) async throws(SMTPError) {
        let reader = self.reader
        let channel = self.channel
        let serverHostname = Self.serverHostname(for: host)
        do {
            try await channel.eventLoop.submit {
                guard !reader.value.hasUnreadInput else { throw SMTPError.dataBeforeTLS }
                let tls = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
                try channel.pipeline.syncOperations.addHandler(tls, position: .first)
            }.get()
        } catch {
            throw await explain(error)
        }
    }

    func close() {
        deadlineTask.cancel()
        channel.close(promise: nil)
    }

    /// The reader's own failure (a timeout, a closed connection) says more
    /// than the error of the write or wait it broke.
    private func explain(_ error: any Error) async -> SMTPError {
        if let error = error as? SMTPError { return error }
        let reader = self.reader
        let recorded: SMTPError?? = try? await channel.eventLoop.submit { reader.value.failure }.get()
        if let recorded = recorded ?? nil { return recorded }
        if let tlsError = error as? NIOSSLError { return .tlsFailed(String(describing: tlsError)) }
        if let tlsError = error as? NIOSSLExtraError { return .tlsFailed(String(describing: tlsError)) }
        return .transportFailed(String(describing: error))
    }
}
