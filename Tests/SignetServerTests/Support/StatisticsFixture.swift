import Foundation
import Logging
import PostgresNIO
import SignetCore
import SignetServer

/// Brands with products and random consultations written straight into the
/// table (as scans write them, each in its own transaction), for the
/// statistics tests.
enum StatisticsFixture {
    static let logger = Logger(label: "stats-test")
    static let countries = ["FR", "DE", "ES", "US", "unknown"]
    static let languages = ["en", "fr", "de", "es"]
    static let verdicts = ["genuine_first", "genuine_seen", "suspicious", "counterfeit", "recalled", "inactive", "expired"]

    struct Brand: Sendable {
        var id: Int64
        var slug: String
        var productIDs: [Int64]
        var gtins: [String]
    }

    /// A brand with `products` products; the first half of type `food`, the rest of type `care`.
    static func brand(_ database: TestDatabase, slug: String, products: Int = 3) async throws -> Brand {
        let brand = try await AccountsFixture.brand(database, slug: slug)
        return try await database.withClient { client in
            try await client.run("""
                INSERT INTO product_types (brand_id, code, names)
                VALUES (\(brand.id), 'food', '{"en": "Food", "fr": "Alimentation"}'), (\(brand.id), 'care', '{"en": "Care"}')
                """)
            var ids: [Int64] = [], gtins: [String] = []
            for index in 0..<products {
                let gtin = gtin(brandID: brand.id, index: index)
                let type = index < (products + 1) / 2 ? "food" : "care"
                let id = try await client.scalar("""
                    INSERT INTO products (brand_id, gtin, default_language, product_type_id)
                    SELECT \(brand.id), \(gtin), 'en', id FROM product_types WHERE brand_id = \(brand.id) AND code = \(type)
                    RETURNING id
                    """, as: Int64.self)!
                try await client.run("""
                    INSERT INTO product_translations (brand_id, product_id, language, name)
                    VALUES (\(brand.id), \(id), 'en', \("Product \(index + 1) of \(slug)"))
                    """)
                ids.append(id)
                gtins.append(gtin)
            }
            return Brand(id: brand.id, slug: slug, productIDs: ids, gtins: gtins)
        }
    }

    /// A valid GTIN-14 unique to the brand and index.
    static func gtin(brandID: Int64, index: Int) -> String {
        let body = String(format: "9%06d%06d", Int(brandID % 1_000_000), index)
        var sum = 0
        for (position, digit) in body.reversed().enumerated() {
            sum += Int(String(digit))! * (position.isMultiple(of: 2) ? 3 : 1)
        }
        return body + String((10 - sum % 10) % 10)
    }

    struct Scan: Sendable {
        var brandID: Int64
        var productID: Int64
        var sealID: Int64
        var scannedAt: Date
        var country: String
        var language: String
        var verdict: String
        var visitor: [UInt8]
    }

    /// Deterministic random scans of the brands' products over the `days` before `end`.
    static func randomScans(_ brands: [Brand], count: Int, days: Int = 40, end: Date = Date(), seed: UInt64) -> [Scan] {
        var random = SeededRandom(state: seed)
        return (0..<count).map { _ in
            let brand = brands.randomElement(using: &random)!
            let product = brand.productIDs.randomElement(using: &random)!
            return Scan(
                brandID: brand.id, productID: product, sealID: product * 1_000 + Int64.random(in: 0..<200, using: &random),
                scannedAt: end.addingTimeInterval(-Double.random(in: 0..<(Double(days) * 86_400), using: &random)),
                country: countries.randomElement(using: &random)!, language: languages.randomElement(using: &random)!,
                verdict: verdicts.randomElement(using: &random)!,
                visitor: (0..<16).map { _ in UInt8.random(in: 0...3, using: &random) })
        }
    }

    /// Writes the scans as consultations, `perTransaction` to a transaction.
    static func write(_ scans: [Scan], to client: PostgresClient, perTransaction: Int = 25) async throws {
        for start in stride(from: 0, to: scans.count, by: perTransaction) {
            let chunk = Array(scans[start..<min(start + perTransaction, scans.count)])
            try await client.run("""
                INSERT INTO consultations (scanned_at, brand_id, product_id, seal_id, gtin, serial, country,
                                           served_language, verdict, visitor, channel)
                SELECT s.at, s.brand, s.product, s.seal, p.gtin, 'S' || s.seal, s.country, s.language::signet_language,
                       s.verdict, decode(s.visitor, 'hex'), 'qr'
                FROM unnest(\(chunk.map(\.scannedAt))::timestamptz[], \(chunk.map(\.brandID))::bigint[],
                            \(chunk.map(\.productID))::bigint[], \(chunk.map(\.sealID))::bigint[], \(chunk.map(\.country))::text[],
                            \(chunk.map(\.language))::text[], \(chunk.map(\.verdict))::text[],
                            \(chunk.map { $0.visitor.map { String(format: "%02x", $0) }.joined() })::text[])
                     AS s (at, brand, product, seal, country, language, verdict, visitor)
                JOIN products p ON p.id = s.product
                """)
        }
    }

    /// Waits until the statistics consumer has counted `total` consultations in all.
    static func waitForRollups(_ database: TestDatabase, total: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            let counted = try await database.withClient { client in
                try await client.scalar("SELECT coalesce(sum(consultations), 0)::bigint FROM stats_hourly", as: Int64.self) ?? 0
            }
            if counted >= total || ContinuousClock.now > deadline { return Int(counted) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// SplitMix64, so a failing random run can be replayed from its seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
