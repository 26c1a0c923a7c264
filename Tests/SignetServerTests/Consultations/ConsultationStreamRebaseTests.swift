import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import PostgresNIO
import SignetServer
import Testing

/// A pg_dump restored into another cluster carries the old cluster's
/// transaction ids: simulated here by positions and rows far ahead of this
/// cluster's ids.
@Suite("The consultation stream after a restore into another cluster")
struct ConsultationStreamRebaseTests {
    static let logger = Logger(label: "t")

    @Test("positions ahead of the cluster are refused by name; after a rebase new scans raise alerts again and restored rows are not read twice")
    func rebase() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await database.withClient { client in
                // What a dump of an older, busier cluster brings along.
                try await client.query("""
                    UPDATE consultation_stream_positions SET xact = (pg_current_xact_id()::text::bigint + 1000000)::text::xid8
                    """, logger: Self.logger)
                try await client.query("""
                    INSERT INTO consultations (brand_id, product_id, gtin, serial, country, served_language, verdict, scan_number, channel, xact)
                    SELECT b.id, p.id, p.gtin, 'RESTORED1', 'FR', 'en', 'counterfeit', 0, 'qr',
                           (pg_current_xact_id()::text::bigint + 1000001)::text::xid8
                    FROM brands b JOIN products p ON p.brand_id = b.id WHERE b.slug = 'demo' AND p.gtin = '03760123450003'
                    """, logger: Self.logger)

                await #expect(throws: ConsultationStreamRebase.Problem.self) {
                    try await ConsultationStreamRebase(database: client, logger: Self.logger).check()
                }
                #expect(try await ConsultationStreamRebase(database: client, logger: Self.logger).rebase() == 1)
                try await ConsultationStreamRebase(database: client, logger: Self.logger).check()
            }
            try await withTestApp(database, .live) { client in
                let scan = try await client.execute(uri: "/01/03760123450003/21/FAKE7?t=AAAAAAAAAAAAAAAA", method: .get)
                #expect(scan.text.contains("data-verdict=\"counterfeit\""))
                let alerts = try await AlertRecordingTests.alerts(database, count: 1)
                #expect(alerts.count == 1 && alerts.first?.contains("FAKE7") == true, "\(alerts)")
                try await Task.sleep(for: .seconds(1))
                #expect(try await AlertRecordingTests.alerts(database, count: 1).allSatisfy { !$0.contains("RESTORED1") })
            }
        }
    }
}
