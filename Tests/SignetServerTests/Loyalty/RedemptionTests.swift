import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import SignetCore
@testable import SignetServer
import Testing

/// Spending points: a wallet never below zero, a stock never below zero, a
/// voucher used once, a cancellation refunded once, whatever the concurrency.
@Suite("Loyalty redemptions")
struct RedemptionTests {
    struct Setup: Sendable {
        var brandID: Int64
        var walletID: Int64
        var rewardID: Int64

        /// Redeems the reward once; the voucher's code as stored.
        func voucher(_ database: TestDatabase) async throws -> String {
            try await database.withClient { client in
                try await RedemptionStore(database: client, logger: Logger(label: "t"))
                    .redeem(walletID: walletID, brandID: brandID, rewardID: rewardID, idempotencyKey: "setup").code.normalized
            }
        }
    }

    /// A wallet with `points` at the demo brand (earned from `points / 100` seals) and one reward.
    static func setUp(
        _ client: PostgresClient, points: Int, cost: Int, stock: Int?, limit: Int? = nil
    ) async throws -> Setup {
        let logger = Logger(label: "t")
        try await client.run("""
            UPDATE brands SET loyalty_enabled = true, loyalty_points = 100, loyalty_daily_claims = 1000, loyalty_claim_gap_seconds = 0
            """)
        let brandID = try #require(try await client.scalar("SELECT id FROM brands WHERE slug = 'demo'", as: Int64.self))
        let productID = try #require(try await client.scalar("SELECT id FROM products WHERE gtin = '03760123450003'", as: Int64.self))
        let walletID = try await WalletStore(database: client, logger: logger).createDeviceWallet(language: .en).0.id
        let loyalty = LoyaltyStore(database: client, logger: logger)
        for index in 0..<(points / 100) {
            _ = try await loyalty.claim(
                ClaimToken(consultationID: Int64(index), productID: productID, serial: "H00\(350 + index)", issuedAt: 0), walletID: walletID)
        }
        let rewardID = try await RewardStore(database: client, logger: logger).create(brandID: brandID, .init(
            pointCost: cost, stock: stock, perWalletLimit: limit, activeFrom: nil, activeUntil: nil, defaultLanguage: .en,
            names: [.en: ("Honey spoon", "An olive-wood spoon"), .fr: ("Cuillère à miel", "En bois d’olivier"),
                    .de: ("Honiglöffel", "Aus Olivenholz"), .es: ("Cuchara para miel", "De madera de olivo")]))
        return Setup(brandID: brandID, walletID: walletID, rewardID: rewardID)
    }

    @Test("20 redemptions at once of a 100-point reward from a 500-point wallet: exactly 5, balance 0, stock right")
    func concurrentRedemptions() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await database.withClient { client in
                let setup = try await Self.setUp(client, points: 500, cost: 100, stock: 50)
                let store = RedemptionStore(database: client, logger: Logger(label: "t"))
                let results = await withTaskGroup(of: Result<RedemptionStore.Redemption, any Error>.self) { group in
                    for index in 0..<20 {
                        group.addTask {
                            do {
                                return .success(try await store.redeem(
                                    walletID: setup.walletID, brandID: setup.brandID, rewardID: setup.rewardID, idempotencyKey: "k\(index)"))
                            } catch { return .failure(error) }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let redeemed = results.compactMap { try? $0.get() }
                #expect(redeemed.count == 5)
                #expect(Set(redeemed.map(\.code)).count == 5)
                #expect(results.filter { if case .failure(let error) = $0 { (error as? RedemptionRules.Refusal) == .notEnoughPoints } else { false } }.count == 15)
                #expect(try await client.scalar("SELECT points FROM loyalty_balances", as: Int.self) == 0)
                #expect(try await client.scalar("SELECT stock FROM rewards WHERE id = \(setup.rewardID)", as: Int.self) == 45)
            }
            try await LedgerCheck.balancesMatch(database)
        }
    }

    @Test("the last unit of stock goes to one of two wallets; a retried redemption (same key) is the first one")
    func stockAndRetry() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await database.withClient { client in
                let setup = try await Self.setUp(client, points: 300, cost: 100, stock: 2, limit: 2)
                let store = RedemptionStore(database: client, logger: Logger(label: "t"))
                let first = try await store.redeem(walletID: setup.walletID, brandID: setup.brandID, rewardID: setup.rewardID, idempotencyKey: "same")
                let retried = try await store.redeem(walletID: setup.walletID, brandID: setup.brandID, rewardID: setup.rewardID, idempotencyKey: "same")
                #expect(retried == first)
                #expect(try await client.scalar("SELECT points FROM loyalty_balances", as: Int.self) == 200)
                _ = try await store.redeem(walletID: setup.walletID, brandID: setup.brandID, rewardID: setup.rewardID, idempotencyKey: "second")
                await #expect(throws: RedemptionRules.Refusal.outOfStock) {
                    try await store.redeem(walletID: setup.walletID, brandID: setup.brandID, rewardID: setup.rewardID, idempotencyKey: "third")
                }
                #expect(try await client.scalar("SELECT stock FROM rewards WHERE id = \(setup.rewardID)", as: Int.self) == 0)
            }
        }
    }

    @Test("one voucher used from two shops at once: exactly one succeeds; a cancellation refunds once, even twice at once")
    func useAndCancel() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await database.withClient { client in
                let setup = try await Self.setUp(client, points: 200, cost: 100, stock: 10)
                let store = RedemptionStore(database: client, logger: Logger(label: "t"))
                let voucher = try await store.redeem(walletID: setup.walletID, brandID: setup.brandID, rewardID: setup.rewardID, idempotencyKey: "a")
                async let one = store.use(brandID: setup.brandID, code: voucher.code, by: "shop Lyon")
                async let two = store.use(brandID: setup.brandID, code: voucher.code, by: "shop Lille")
                let outcomes = try await [one, two]
                #expect(outcomes.filter { if case .used = $0 { true } else { false } }.count == 1)
                #expect(outcomes.filter { if case .alreadyUsed = $0 { true } else { false } }.count == 1)
                #expect(try await store.use(brandID: setup.brandID + 1, code: voucher.code, by: "another brand") == .notFound)
                #expect(try await store.cancel(brandID: setup.brandID, id: voucher.id, by: "owner") == nil, "a used voucher is not cancelled")

                let other = try await store.redeem(walletID: setup.walletID, brandID: setup.brandID, rewardID: setup.rewardID, idempotencyKey: "b")
                #expect(try await client.scalar("SELECT points FROM loyalty_balances", as: Int.self) == 0)
                async let cancelOne = store.cancel(brandID: setup.brandID, id: other.id, by: "owner")
                async let cancelTwo = store.cancel(brandID: setup.brandID, id: other.id, by: "editor")
                let cancelled = try await [cancelOne, cancelTwo].compactMap { $0 }
                #expect(cancelled.count == 1)
                #expect(try await client.scalar("SELECT points FROM loyalty_balances", as: Int.self) == 100)
                #expect(try await client.scalar("SELECT stock FROM rewards WHERE id = \(setup.rewardID)", as: Int.self) == 9)
                #expect(try await store.use(brandID: setup.brandID, code: other.code, by: "shop") == .cancelled(try #require(try await store.voucher(brandID: setup.brandID, code: other.code))))
            }
            try await LedgerCheck.balancesMatch(database)
            #expect(try await LoyaltyClaimTests.rows(database, "SELECT kind FROM loyalty_ledger WHERE kind IN ('redeem', 'refund') ORDER BY id")
                == ["redeem", "redeem", "refund"])
        }
    }

    @Test("the wallet offers what it can afford, redeems through its form, and shows the voucher with its QR code, in four languages")
    func walletPages() async throws {
        try await withTestDatabase { database in
            let demo = try await DemoFixture.seed(database)
            let setup = try await database.withClient { client in try await Self.setUp(client, points: 0, cost: 10, stock: 3) }
            try await LoyaltyClaimTests.enableLoyalty(database, points: 10)
            try await withTestApp(database) { client in
                let scan = try await client.execute(uri: demo.path(DemoFixture.honey, serial: "H00360"), method: .get)
                let claimed = try await LoyaltyClaimTests.claim(client, token: try #require(LoyaltyClaimTests.claimToken(scan.text)), wallet: nil)
                let wallet = try #require(LoyaltyClaimTests.walletCookie(claimed))
                let cookie: HTTPFields = [.cookie: "signet_wallet=\(wallet)"]
                let expected: [(String, String, String)] = [
                    ("en", "Honey spoon", "Redeem for 10 points"), ("fr", "Cuillère à miel", "Échanger contre 10 points"),
                    ("de", "Honiglöffel", "Für 10 Punkte einlösen"), ("es", "Cuchara para miel", "Canjear por 10 puntos"),
                ]
                for (language, name, action) in expected {
                    var headers = cookie
                    headers[.acceptLanguage] = language
                    let page = try await client.execute(uri: "/wallet", method: .get, headers: headers)
                    #expect(page.text.contains(name) && page.text.contains(action), "\(language)")
                }
                var form = cookie
                form[.contentType] = "application/x-www-form-urlencoded"
                let crossSite = try await client.execute(
                    uri: "/wallet/redeem", method: .post, headers: form.merging([.secFetchSite: "cross-site"]),
                    body: ByteBuffer(string: "reward=\(setup.rewardID)&brand=\(setup.brandID)&idempotency_key=x1"))
                #expect(crossSite.status == .forbidden)
                let redeemed = try await client.execute(
                    uri: "/wallet/redeem", method: .post, headers: form,
                    body: ByteBuffer(string: "reward=\(setup.rewardID)&brand=\(setup.brandID)&idempotency_key=x1"))
                #expect(redeemed.status == .seeOther)
                let location = try #require(redeemed.headers[.location])
                #expect(location.hasPrefix("/wallet/vouchers/"))
                for (language, status) in [("en", "Valid"), ("fr", "Valable"), ("de", "Gültig"), ("es", "Válido")] {
                    var headers = cookie
                    headers[.acceptLanguage] = language
                    let voucher = try await client.execute(uri: location, method: .get, headers: headers)
                    #expect(voucher.status == .ok)
                    #expect(voucher.text.contains(status) && voucher.text.contains("<svg"), "\(language)")
                }
                #expect(try await client.execute(uri: location, method: .get).status == .notFound, "another device does not see it")
                let broke = try await client.execute(
                    uri: "/wallet/redeem", method: .post, headers: form.merging([.acceptLanguage: "fr"]),
                    body: ByteBuffer(string: "reward=\(setup.rewardID)&brand=\(setup.brandID)&idempotency_key=x2"))
                #expect(broke.status == .conflict)
                #expect(broke.text.contains("Vous n’avez pas assez de points pour cette récompense."))
            }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
