import HTTPTypes
import HummingbirdTesting
import SignetServer
import Testing

@Suite("Health and metrics")
struct OperationsTests {
    @Test("/health is 200 when the database answers")
    func healthy() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                let response = try await client.execute(uri: "/health", method: .get)
                #expect(response.status == .ok)
                #expect(response.text.contains("\"database\":\"ok\""))
            }
        }
    }

    @Test("/health is 503 when the database is unreachable, and the process still serves")
    func unhealthy() async throws {
        try await withTestDatabase { database in
            try await withTestApp(database) { client in
                // The database disappears under a running server.
                try await database.drop()
                let response = try await client.execute(uri: "/health", method: .get)
                #expect(response.status == .serviceUnavailable)
                #expect(response.text.contains("\"database\":\"unreachable\""))
                let live = try await client.execute(uri: "/livez", method: .get)
                #expect(live.status == .ok)
            }
        }
    }

    @Test("/metrics serves Prometheus text with scan counts by verdict")
    func metrics() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await withTestApp(database) { client in
                _ = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00300"), method: .get)
                _ = try await client.execute(uri: "/01/03760123450003/21/H00300?t=bad", method: .get)
                let response = try await client.execute(uri: "/metrics", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = response.text
                #expect(text.contains(#"signet_scans_total{verdict="genuine_first"} 1"#))
                #expect(text.contains(#"signet_scans_total{verdict="counterfeit"} 1"#))
            }
        }
    }
}
