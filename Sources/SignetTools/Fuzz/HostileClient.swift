import NIOCore
import NIOPosix

/// Sends requests as raw bytes, one connection each, and reads back only the
/// status line: the bytes must reach the server exactly as generated, which no
/// HTTP client library allows (invalid UTF-8 in the path, bare `%`, a head of
/// 40 KiB).
public struct HostileClient: Sendable {
    public let host: String
    public let port: Int
    /// How long one request may wait for its status line.
    public let deadline: Duration

    public init(host: String, port: Int, deadline: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.deadline = deadline
    }

    public func send(_ request: HostileRequest) async -> HostileOutcome {
        await withTaskGroup(of: HostileOutcome?.self) { group in
            group.addTask { try? await exchange(request.bytes) }
            group.addTask {
                try? await Task.sleep(for: deadline)
                return Task.isCancelled ? nil : .timedOut
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .closedWithoutAnswer
        }
    }

    private func exchange(_ bytes: [UInt8]) async throws -> HostileOutcome {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            // A server may answer and close before a large body is all sent: the
            // write fails, and the answer is still there to read.
            try? await outbound.write(ByteBuffer(bytes: bytes))
            var received = ByteBuffer()
            do {
                for try await chunk in inbound {
                    received.writeImmutableBuffer(chunk)
                    if let status = Self.status(in: received) { return .status(status) }
                    if received.readableBytes > 64 * 1024 { break }
                }
            } catch {
                if let status = Self.status(in: received) { return .status(status) }
                return .closedWithoutAnswer
            }
            return Self.status(in: received).map(HostileOutcome.status) ?? .closedWithoutAnswer
        }
    }

    /// The code of a complete `HTTP/1.x NNN` status line, once it has arrived.
    public static func status(in buffer: ByteBuffer) -> Int? {
        let bytes = buffer.readableBytesView
        guard bytes.count >= 12, bytes.starts(with: "HTTP/1.".utf8) else { return nil }
        let digits = bytes.dropFirst(9).prefix(3)
        guard digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }
}
