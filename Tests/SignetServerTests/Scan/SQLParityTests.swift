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
                                            combinations.append(ScanFacts(
                                                sealFound: sealFound, tokenValid: tokenValid, lotMatches: lotMatches,
                                                sealStatus: status, lotRecalled: lotRecalled, lotExpired: lotExpired,
                                                scanCount: scanCount, firstVisitorAgain: firstVisitorAgain,
                                                scanSessions: scanSessions, sessionLimit: 5))
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
        try await withTestDatabase { database in
            try await database.withClient { client in
                for facts in allFacts {
                    let sql = try await client.scalar("""
                        SELECT signet_verdict(\(facts.sealFound), \(facts.tokenValid), \(facts.lotMatches),
                                              \(facts.sealStatus?.rawValue)::text, \(facts.lotRecalled), \(facts.lotExpired),
                                              \(facts.scanCount)::integer, \(facts.scanSessions)::integer,
                                              \(facts.sessionLimit)::integer, \(facts.firstVisitorAgain))
                        """, as: String.self)
                    #expect(sql == VerdictRules.decide(facts).rawValue, "\(facts)")
                }
            }
        }
        #expect(combinations.count == 4096)
    }
}
