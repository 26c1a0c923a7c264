import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOPosix
import SignetTools
import Testing

@Suite("Live feeds per brand")
struct LiveFeedQuotaTests {
    /// Opens a feed on its own connection and keeps reading it until the
    /// server ends it; returns the status as soon as it arrives.
    static func openFeed(port: Int, path: String, cookies: [String: String]) async throws -> (status: Int, open: Task<Void, any Error>) {
        let cookie = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let (statuses, reported) = AsyncStream.makeStream(of: Int.self)
        let open = Task {
            defer { reported.finish() }
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\nConnection: close\r\n\r\n"))
                var received = ByteBuffer()
                var known = false
                for try await chunk in inbound {
                    received.writeImmutableBuffer(chunk)
                    if !known, let status = HostileClient.status(in: received) {
                        reported.yield(status)
                        known = true
                    }
                }
            }
        }
        var iterator = statuses.makeAsyncIterator()
        return (try #require(await iterator.next(), "no status for \(path)"), open)
    }

    @Test("past the brand's open feeds a new one is 429 with Retry-After; another brand is not held back; a place frees when a feed ends")
    func quota() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "viewer@demo.test", role: .viewer)
            try await AccountsFixture.brand(database, slug: "other")
            try await AccountsFixture.user(database, brand: "other", email: "owner@other.test", role: .owner)
            let app = try await makeTestApplication(
                database, alertFeedLifetime: .seconds(3), alertFeedHeartbeat: .seconds(1), liveFeedsPerBrand: 2)
            try await app.testShuttingDownWithin(.live) { client in
                let port = try #require(client.port)
                var viewer = PortalBrowser(client)
                try await viewer.signIn("viewer@demo.test")
                var other = PortalBrowser(client)
                try await other.signIn("owner@other.test")

                let alerts = try await Self.openFeed(port: port, path: "/portal/alerts/feed", cookies: viewer.cookies)
                let stats = try await Self.openFeed(port: port, path: "/portal/stats/feed", cookies: viewer.cookies)
                #expect(alerts.status == 200)
                #expect(stats.status == 200)

                let refused = try await viewer.get("/portal/alerts/feed")
                #expect(refused.status == .tooManyRequests)
                #expect(refused.headers[.retryAfter] == "30")
                #expect(try await viewer.get("/portal/stats/feed").status == .tooManyRequests)
                let elsewhere = try await Self.openFeed(port: port, path: "/portal/alerts/feed", cookies: other.cookies)
                #expect(elsewhere.status == 200)

                // The feeds end after their lifetime, and their places with them.
                try await alerts.open.value
                try await stats.open.value
                try await elsewhere.open.value
                #expect(try await viewer.get("/portal/stats/feed").status == .ok)
            }
        }
    }
}
