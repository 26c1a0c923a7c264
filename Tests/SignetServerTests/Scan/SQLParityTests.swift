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
                            for scanCount in [0, 1, 2, 7] {
                                for firstVisitorAgain in [false, true] {
                                    combinations.append(ScanFacts(
                                        sealFound: sealFound, tokenValid: tokenValid, lotMatches: lotMatches,
                                        sealStatus: status, lotRecalled: lotRecalled, scanCount: scanCount,
                                        firstVisitorAgain: firstVisitorAgain))
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
                                              \(facts.sealStatus?.rawValue)::text, \(facts.lotRecalled), \(facts.scanCount)::integer,
                                              \(facts.firstVisitorAgain))
                        """, as: String.self)
                    #expect(sql == VerdictRules.decide(facts).rawValue, "\(facts)")
                }
            }
        }
        #expect(combinations.count == 512)
    }

    @Test("signet_seal_token matches SealToken.make", arguments: [
        ("03760123450003", "H00001"), ("00012345600012", "A!\"%&'()*+,-./:;<=>?"), ("96385074", "x"),
    ])
    func sealToken(gtinText: String, serial: String) async throws {
        let gtin = try #require(GTIN(gtinText))
        let key = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        try await withTestDatabase { database in
            try await database.withClient { client in
                var keyBuffer = ByteBuffer()
                keyBuffer.writeBytes(key)
                let sql = try await client.scalar(
                    "SELECT signet_seal_token(\(keyBuffer), \(gtin.digits), \(serial))", as: String.self)
                #expect(sql == SealToken.make(gtin: gtin, serial: serial, key: key))
            }
        }
    }

    @Test("signet_choose_language matches LanguagePreferences.choose")
    func languageChoice() async throws {
        let preferenceLists: [[Language]] = [[], [.de], [.fr, .en], [.es, .de, .fr], [.en, .fr, .de, .es]]
        let availableLists: [[Language]] = [[.en], [.fr, .en], [.de], [.en, .fr, .de, .es]]
        try await withTestDatabase { database in
            try await database.withClient { client in
                for ordered in preferenceLists {
                    for available in availableLists {
                        for productDefault in [Language?.none] + available.map(Optional.some) {
                            let header = ordered.map(\.rawValue).joined(separator: ",")
                            let preferences = LanguagePreferences(query: nil, cookie: nil, acceptLanguage: header)
                            #expect(preferences.ordered == ordered)
                            let sql = try await client.scalar("""
                                SELECT signet_choose_language(\(ordered.map(\.rawValue)), \(available.map(\.rawValue)), \(productDefault?.rawValue)::text)
                                """, as: String.self)
                            let swift = preferences.choose(among: available, productDefault: productDefault)
                            #expect(sql == swift.rawValue, "prefs \(ordered) available \(available) default \(String(describing: productDefault))")
                        }
                    }
                }
            }
        }
    }
}
