import Logging
import PostgresNIO
import SignetCore
import SignetServer
import Testing

/// The scan statement applies Core's rules in SQL so one round trip can log
/// the verdict; these tests hold the two copies together.
@Suite("SQL and Swift agree")
struct SQLParityTests {
    @Test("signet_verdict matches VerdictRules.decide on every combination of facts")
    func verdictRules() async throws {
        var combinations: [ScanFacts] = []
        for sealFound in [false, true] {
            for tokenValid in [false, true] {
                for lotMatches in [false, true] {
                    for status in [nil] + SealStatus.allCases.map(Optional.some) {
                        for lotRecalled in [false, true] {
                            for lotExpired in [false, true] {
                                for scanCount in [0, 1, 2, 7] {
                                    for firstVisitorAgain in [false, true] {
                                        for scanSessions in [0, 1, 5, 6] {
                                            for (tapFresh, tampered) in [(true, false), (false, false), (true, true), (false, true)] {
                                                for traceState in [nil] + TraceState.allCases.map(Optional.some) {
                                                    combinations.append(ScanFacts(
                                                        sealFound: sealFound, tokenValid: tokenValid, lotMatches: lotMatches,
                                                        sealStatus: status, lotRecalled: lotRecalled, lotExpired: lotExpired,
                                                        scanCount: scanCount, firstVisitorAgain: firstVisitorAgain,
                                                        scanSessions: scanSessions, sessionLimit: 5, tapFresh: tapFresh, tampered: tampered,
                                                        traceState: traceState))
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let allFacts = combinations
        // The function over arrays of each fact, in order, in statements of 8,192 combinations: one
        // statement over all of them would hold back, for its whole run, the consultation stream of every
        // other test (its snapshot is the oldest in the cluster).
        let sqlVerdicts = try await withTestDatabase { database in
            try await database.withClient { client in
                var verdicts: [String] = []
                for start in stride(from: 0, to: allFacts.count, by: 8192) {
                    verdicts += try await Self.verdicts(Array(allFacts[start..<min(start + 8192, allFacts.count)]), client: client)
                }
                return verdicts
            }
        }
        #expect(sqlVerdicts.count == allFacts.count)
        for (facts, sql) in zip(allFacts, sqlVerdicts) where sql != VerdictRules.decide(facts).rawValue {
            Issue.record("SQL says \(sql), Swift \(VerdictRules.decide(facts).rawValue) for \(facts)")
        }
        #expect(combinations.count == 16384 * 5)
    }

    static func verdicts(_ allFacts: [ScanFacts], client: PostgresClient) async throws -> [String] {
                try await client.query("""
                    SELECT signet_verdict(f.found, f.token, f.lot, nullif(f.status, ''), f.recalled, f.expired, f.count, f.sessions, 5,
                                          f.again, f.fresh, f.tampered, nullif(f.trace, ''))
                    FROM unnest(\(allFacts.map(\.sealFound)), \(allFacts.map(\.tokenValid)), \(allFacts.map(\.lotMatches)),
                                \(allFacts.map { $0.sealStatus?.rawValue ?? "" })::text[], \(allFacts.map(\.lotRecalled)),
                                \(allFacts.map(\.lotExpired)), \(allFacts.map(\.scanCount))::integer[],
                                \(allFacts.map(\.scanSessions))::integer[], \(allFacts.map(\.firstVisitorAgain)),
                                \(allFacts.map(\.tapFresh)), \(allFacts.map(\.tampered)),
                                \(allFacts.map { $0.traceState?.rawValue ?? "" })::text[])
                         WITH ORDINALITY AS f (found, token, lot, status, recalled, expired, count, sessions, again, fresh, tampered, trace, n)
                    ORDER BY f.n
                    """, logger: Logger(label: "sql-parity")).collect().map { try $0.decode(String.self) }
    }
}
