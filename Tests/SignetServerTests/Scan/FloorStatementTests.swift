import Foundation
import Logging
import PostgresNIO
import SignetCore
import SignetTools
import Testing

/// The benchmark's floor statement must do what a scan must: count the scan
/// on the seal and log it, with the scan statement's parameters.
@Suite("Benchmark floor statement")
struct FloorStatementTests {
    @Test("it counts the scan on the seal and logs one consultation per run, with the verdict's facts")
    func countsAndLogs() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await database.withClient { client in
                func run() async throws -> (Int, String?) {
                    var bindings = PostgresBindings()
                    bindings.append(DemoFixture.honey.digits)
                    bindings.append("H00001")
                    bindings.append("any-token")
                    bindings.append("HL2406")
                    bindings.append(["fr", "en"])
                    bindings.append("fr")
                    bindings.append("FR")
                    bindings.append("qr")
                    bindings.append(ByteBuffer(bytes: [1, 2, 3]))
                    let rows = try await client.query(
                        PostgresQuery(unsafeSQL: BenchmarkDataset.floorStatementSQL, binds: bindings), logger: Logger(label: "t")
                    ).collect()
                    let row = try #require(rows.first)
                    let (count, _, country, again, id) = try row.decode((Int, Date, String?, Bool, Int64?).self)
                    #expect(id != nil)
                    #expect(again)
                    return (count, country)
                }
                #expect(try await run() == (1, "FR"))
                #expect(try await run() == (2, "FR"))
                let verdicts = try await client.scalar(
                    "SELECT string_agg(verdict, ',' ORDER BY id) FROM consultations WHERE serial = 'H00001'", as: String.self)
                #expect(verdicts == "genuine_first,genuine_seen")
            }
        }
    }
}
