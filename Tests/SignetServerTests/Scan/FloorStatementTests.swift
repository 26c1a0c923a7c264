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

@Suite("Benchmark pgbench scripts")
struct PgbenchScriptTests {
    @Test("every parameter of the scan and floor statements becomes a variable the script sets", arguments: [false, true])
    func variables(floor: Bool) throws {
        let script = BenchmarkDataset.pgbenchScript(seals: 1000, floor: floor)
        let lines = script.split(separator: "\n")
        #expect(!script.contains("$"), "a parameter was left unreplaced")
        // Variables are set by the \gset SELECT; every :name used must be one of its columns.
        let select = try #require(script.range(of: "SELECT")).upperBound
        let gset = try #require(script.range(of: "\\gset")).lowerBound
        let columns = script[select..<gset]
        // Casts (`::bigint`) are not variables.
        let statement = script[gset...].replacingOccurrences(of: "::", with: "  ")
        let used = Set(statement.matches(of: /:([a-z_]+)/).map { String($0.1) })
        #expect(used.contains("visitor"))
        // pgbench also replaces variables inside SQL comments, where PostgreSQL cannot type them.
        for line in statement.split(separator: "\n") {
            if let comment = line.range(of: "--") {
                #expect(line[comment.upperBound...].firstMatch(of: /:[a-z]/) == nil, "a variable in a comment: \(line)")
            }
        }
        for name in used where name != "n" {
            #expect(columns.contains(" \(name)") || columns.contains("AS \(name)"), "\(name) is never set")
        }
        #expect(lines.first?.hasPrefix("\\set n random(1, 1000)") == true)
    }
}
