import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import SignetCore
@testable import SignetServer
import Testing

/// Earning points: the scan page's offer, the signed claim, the wallet it
/// lands in, and the rules under concurrency, against the real database.
@Suite("Loyalty claims")
struct LoyaltyClaimTests {
    static func enableLoyalty(_ database: TestDatabase, points: Int = 10, daily: Int = 5, gap: Int = 0) async throws {
        try await database.withClient { client in
            try await client.run("""
                UPDATE brands SET loyalty_enabled = true, loyalty_points = \(points), loyalty_daily_claims = \(daily),
                                  loyalty_claim_gap_seconds = \(gap), loyalty_expiry_days = 365
                WHERE slug = 'demo'
                """)
        }
    }

    static func claimToken(_ html: String) -> String? {
        guard let start = html.range(of: #"name="token" value=""#) else { return nil }
        let rest = html[start.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func walletCookie(_ response: TestResponse) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("signet_wallet=") }
            .map { String($0.dropFirst("signet_wallet=".count).prefix { $0 != ";" }) }
    }

    static func claim(
        _ client: some TestClientProtocol, token: String, wallet: String?, language: String = "en"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: language]
        if let wallet { headers[.cookie] = "signet_wallet=\(wallet)" }
        let body = "token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token)
        return try await client.execute(uri: "/wallet/claim", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// The stores a claim test drives, and the demo honey's product id.
    struct Claims {
        let wallets: WalletStore
        let loyalty: LoyaltyStore
        let honeyID: Int64

        init(_ client: PostgresClient) async throws {
            let logger = Logger(label: "t")
            wallets = WalletStore(database: client, logger: logger)
            loyalty = LoyaltyStore(database: client, logger: logger)
            honeyID = try #require(try await client.scalar("SELECT id FROM products WHERE gtin = '03760123450003'", as: Int64.self))
        }

        func newWallet() async throws -> Int64 { try await wallets.createDeviceWallet(language: .en).0.id }

        func claim(_ serial: String, consultation: Int64, wallet: Int64) async throws -> LoyaltyStore.ClaimOutcome {
            try await loyalty.claim(ClaimToken(consultationID: consultation, productID: honeyID, serial: serial, issuedAt: 0), walletID: wallet)
        }
    }

    static func rows(_ database: TestDatabase, _ sql: PostgresQuery) async throws -> [String] {
        try await database.withClient { client in
            try await client.query(sql, logger: Logger(label: "t")).collect().map { try $0.decode(String.self) }
        }
    }

    @Test("a genuine first scan offers its points in the visitor's language; the claim lands in a new device wallet once; a second scan, a replay and a forged token earn nothing")
    func claimFlow() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await Self.enableLoyalty(database, points: 15)
            try await withTestApp(database) { client in
                let offers: [(String, String)] = [("en", "Claim 15 points"), ("fr", "Obtenir 15 points"), ("de", "15 Punkte sichern"), ("es", "Obtener 15 puntos")]
                var tokens: [String] = []
                for (index, (language, action)) in offers.enumerated() {
                    let scan = try await client.execute(
                        uri: demo.path(DemoFixture.honey, serial: "H0010\(index)"), method: .get, headers: [.acceptLanguage: language])
                    #expect(scan.text.contains(action), "\(language)")
                    tokens.append(try #require(Self.claimToken(scan.text)))
                }
                // The first visitor's own reload stays a first scan (and could only claim the same points again).
                let again = try await client.execute(
                    uri: demo.path(DemoFixture.honey, serial: "H00100"), method: .get, headers: [.userAgent: "another phone"])
                #expect(again.text.contains("genuine") && Self.claimToken(again.text) == nil, "a second scan offers nothing")

                let first = try await Self.claim(client, token: tokens[0], wallet: nil)
                #expect(first.status == .seeOther)
                #expect(first.headers[.location] == "/wallet?earned=15")
                let wallet = try #require(Self.walletCookie(first))
                let page = try await client.execute(uri: "/wallet?earned=15", method: .get, headers: [.cookie: "signet_wallet=\(wallet)", .acceptLanguage: "fr"])
                #expect(page.status == .ok)
                #expect(page.text.contains("15 points ont été ajoutés à votre portefeuille."))
                #expect(page.text.contains("15 points"))
                #expect(page.text.contains("Scan authentique"))

                let replay = try await Self.claim(client, token: tokens[0], wallet: wallet)
                #expect(replay.headers[.location] == "/wallet?earned=again")
                let stranger = try await Self.claim(client, token: tokens[0], wallet: nil, language: "de")
                #expect(stranger.status == .conflict)
                #expect(stranger.text.contains("Die Punkte dieses Siegels wurden bereits eingelöst."))

                var forged = tokens[1]
                forged.replaceSubrange(forged.startIndex..<forged.index(after: forged.startIndex), with: forged.first == "A" ? "B" : "A")
                let refused = try await Self.claim(client, token: forged, wallet: wallet, language: "es")
                #expect(refused.status == .badRequest)
                #expect(refused.text.contains("Esta solicitud no es válida o ha caducado."))
                #expect(try await Self.claim(client, token: tokens[1], wallet: wallet).status == .seeOther)
            }
            #expect(try await Self.rows(database, """
                SELECT kind || ' ' || points || ' ' || balance_after FROM loyalty_ledger ORDER BY id
                """) == ["earn 15 15", "earn 15 30"])
            #expect(try await Self.rows(database, "SELECT points::text FROM loyalty_balances") == ["30"])
        }
    }

    @Test("claims from one address are limited to 10 a minute: the 11th is a 429 page in the visitor's language, and creates no wallet")
    func claimRateLimit() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            // Live: the limit counts the client's address, which only a real connection has.
            try await withTestApp(database, .live) { client in
                for _ in 0..<10 {
                    #expect(try await Self.claim(client, token: "not-a-token", wallet: nil).status == .badRequest)
                }
                let limited = try await Self.claim(client, token: "not-a-token", wallet: nil, language: "fr")
                #expect(limited.status == .tooManyRequests)
                #expect(limited.headers[.retryAfter] != nil)
                #expect(limited.text.contains(try UIStrings.html("error_rate_limited_title", .fr)))
            }
            #expect(try await Self.rows(database, "SELECT count(*)::text FROM wallets") == ["0"])
        }
    }

    @Test("no offer without a programme or on any other verdict, and a token can only be made for a genuine first scan")
    func noOffer() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            try await database.withClient { try await $0.run("UPDATE brands SET loyalty_enabled = false") }
            try await withTestApp(database) { client in
                let off = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00120"), method: .get)
                #expect(off.status == .ok)
                #expect(Self.claimToken(off.text) == nil, "the brand runs no programme yet")
            }
            try await Self.enableLoyalty(database)
            try await withTestApp(database) { client in
                let counterfeit = try await client.execute(uri: "/01/03760123450003/21/NOPE1?t=AAAAAAAAAAAAAAAA", method: .get)
                #expect(Self.claimToken(counterfeit.text) == nil)
                let recalled = try await client.execute(uri: demo.path(DemoFixture.oliveOil, serial: "R00001"), method: .get)
                #expect(Self.claimToken(recalled.text) == nil)
                // A token for a seal whose consultation was never genuine_first: the signer's key is the server's
                // own, so the only way to get one is from a genuine first scan.
                let signer = ClaimToken.Signer(secret: Array(repeating: 8, count: 32))
                let alien = signer.sign(ClaimToken(consultationID: 1, productID: 1, serial: "H00121", issuedAt: Int64(Date().timeIntervalSince1970)))
                #expect(try await Self.claim(client, token: alien, wallet: nil).status == .badRequest)
                let stale = ClaimToken.Signer(secret: Array(repeating: 7, count: 32)).sign(ClaimToken(
                    consultationID: 1, productID: 1, serial: "H00121", issuedAt: Int64(Date().timeIntervalSince1970) - ClaimToken.lifetime - 1))
                #expect(try await Self.claim(client, token: stale, wallet: nil).status == .badRequest)
            }
            #expect(try await Self.rows(database, "SELECT count(*)::text FROM loyalty_ledger") == ["0"])
        }
    }

    @Test("50 wallets claiming one seal at once: exactly one award")
    func oneSealManyWallets() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.enableLoyalty(database)
            try await database.withClient { client in
                let claims = try await Claims(client)
                var ids: [Int64] = []
                for _ in 0..<50 { ids.append(try await claims.newWallet()) }
                let outcomes = try await withThrowingTaskGroup(of: LoyaltyStore.ClaimOutcome.self) { group in
                    for id in ids { group.addTask { try await claims.claim("H00200", consultation: 42, wallet: id) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.filter { if case .awarded = $0 { true } else { false } }.count == 1)
                #expect(outcomes.filter { $0 == .refused(.sealAlreadyClaimed) }.count == 49)
            }
            #expect(try await Self.rows(database, "SELECT count(*)::text || ' ' || sum(points)::text FROM loyalty_ledger") == ["1 10"])
        }
    }

    @Test("one wallet claiming 20 seals in one burst: the daily cap holds, and balance and ledger agree")
    func dailyCap() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.enableLoyalty(database, points: 10, daily: 5, gap: 0)
            try await database.withClient { client in
                let claims = try await Claims(client)
                let wallet = try await claims.newWallet()
                let outcomes = try await withThrowingTaskGroup(of: LoyaltyStore.ClaimOutcome.self) { group in
                    for index in 0..<20 {
                        group.addTask { try await claims.claim("H003\(10 + index)", consultation: Int64(index), wallet: wallet) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.filter { if case .awarded = $0 { true } else { false } }.count == 5)
                #expect(outcomes.filter { $0 == .refused(.dailyLimit) }.count == 15, "\(outcomes)")
            }
            #expect(try await Self.rows(database, "SELECT points::text FROM loyalty_balances") == ["50"])
            try await LedgerCheck.balancesMatch(database)
        }
    }

    @Test("the gap between claims holds")
    func gap() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await Self.enableLoyalty(database, points: 10, daily: 5, gap: 3600)
            try await database.withClient { client in
                let claims = try await Claims(client)
                let wallet = try await claims.newWallet()
                let first = try await claims.claim("H00400", consultation: 1, wallet: wallet)
                #expect(first == .awarded(points: 10, balance: 10, brandID: try #require(try await client.scalar("SELECT id FROM brands", as: Int64.self))))
                let second = try await claims.claim("H00399", consultation: 2, wallet: wallet)
                #expect(second == .refused(.tooSoon))
            }
        }
    }
}

/// Every stored balance equals the sum of its ledger rows, and each ledger
/// row's `balance_after` is the running total.
enum LedgerCheck {
    static func balancesMatch(_ database: TestDatabase) async throws {
        let mismatches = try await database.withClient { client in
            try await client.query("""
                SELECT b.wallet_id::text || '/' || b.brand_id::text || ': ' || b.points::text || ' vs ' || coalesce(sum(l.points), 0)::text
                FROM loyalty_balances b LEFT JOIN loyalty_ledger l ON l.wallet_id = b.wallet_id AND l.brand_id = b.brand_id
                GROUP BY b.wallet_id, b.brand_id, b.points
                HAVING b.points <> coalesce(sum(l.points), 0)
                UNION ALL
                SELECT 'ledger row ' || id::text FROM (
                    SELECT id, balance_after, sum(points) OVER (PARTITION BY wallet_id, brand_id ORDER BY id) AS running
                    FROM loyalty_ledger) r
                WHERE balance_after <> running
                """, logger: Logger(label: "t")).collect().map { try $0.decode(String.self) }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}

@Suite("Loyalty points expiry")
struct PointsExpiryTests {
    @Test("two expiry runs at once expire an inactive balance once; an active one, and a brand without expiry, keep theirs")
    func expiresOnce() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await LoyaltyClaimTests.enableLoyalty(database, points: 10, daily: 10, gap: 0)
            try await database.withClient { client in
                let claims = try await LoyaltyClaimTests.Claims(client)
                var ids: [Int64] = []
                for index in 0..<3 {
                    let wallet = try await claims.newWallet()
                    _ = try await claims.claim("H0038\(index)", consultation: Int64(index), wallet: wallet)
                    ids.append(wallet)
                }
                // The first two were last active 400 days ago; the brand's points last 365 days.
                try await client.run("UPDATE loyalty_balances SET last_activity_at = now() - interval '400 days' WHERE wallet_id = ANY (\(ids.prefix(2).map { $0 }))")
                let expiry = PointsExpiry(database: client, logger: Logger(label: "t"))
                async let one = expiry.expireDue()
                async let two = expiry.expireDue()
                #expect(await one + two == 2)
                #expect(await expiry.expireDue() == 0)
                #expect(try await client.scalar("SELECT string_agg(points::text, ',' ORDER BY wallet_id) FROM loyalty_balances", as: String.self) == "0,0,10")
            }
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT count(*)::text FROM loyalty_ledger WHERE kind = 'expire' AND points = -10") == ["2"])
            try await LedgerCheck.balancesMatch(database)
        }
    }
}
