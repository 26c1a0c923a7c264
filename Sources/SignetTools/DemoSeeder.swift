import Foundation
import Logging
import PostgresNIO
import SignetCore
import SignetServer

/// Seeds the demo brand `demo` from `db/seed/demo-products.json`: three
/// products in four languages, released lots, 1,000 active seals, and a few
/// seals that show the other verdicts. Running it again changes nothing.
public struct DemoSeeder: Sendable {
    public static let brandSlug = "demo"

    /// One product of `db/seed/demo-products.json`.
    public struct ProductSeed: Decodable, Sendable {
        public struct Texts: Decodable, Sendable {
            public var name: String
            public var description: String
            public var origin: String
            public var composition: String
            public var warnings: String
            public var hazards: String
            public var allergens: String
            public var instructions: String
            public var characteristics: [Characteristic]
        }
        public var gtin: String
        public var image: String
        public var default_language: String
        /// A code of `productTypes`.
        public var product_type: String
        /// By language code.
        public var translations: [String: Texts]
        public var recall_notice: [String: String]?
    }

    public static func products(resourcesDirectory: String) throws -> [ProductSeed] {
        let path = "\(resourcesDirectory)/db/seed/demo-products.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw ResourceError.missing(path) }
        return try JSONDecoder().decode([ProductSeed].self, from: data)
    }

    /// The demo brand's product types, named in every language.
    static let productTypes: [String: [String: String]] = [
        "food": ["en": "Food", "fr": "Alimentation", "de": "Lebensmittel", "es": "Alimentación"],
        "cosmetics": ["en": "Cosmetics", "fr": "Cosmétiques", "de": "Kosmetik", "es": "Cosmética"],
    ]

    /// Seals per product: prefix, lot, count and status. Serials are prefix + 5 digits.
    struct SealBatch {
        var productIndex: Int
        var lot: String
        var prefix: String
        var count: Int
        var status: SealStatus
    }

    static let lots: [(productIndex: Int, code: String, produced: String, expires: String, recalled: Bool)] = [
        (0, "HL2406", "2026-06-20", "2028-06-20", false),
        (1, "CL2409", "2026-09-02", "2028-03-02", false),
        (2, "OL2410", "2026-10-05", "2028-04-05", false),
        (2, "OL2402", "2026-02-12", "2027-08-12", true),
        (0, "HL2306", "2025-06-20", "2026-06-20", false),
    ]

    static let batches: [SealBatch] = [
        SealBatch(productIndex: 0, lot: "HL2406", prefix: "H", count: 400, status: .active),
        SealBatch(productIndex: 1, lot: "CL2409", prefix: "C", count: 300, status: .active),
        SealBatch(productIndex: 2, lot: "OL2410", prefix: "O", count: 300, status: .active),
        SealBatch(productIndex: 2, lot: "OL2402", prefix: "R", count: 5, status: .active),
        SealBatch(productIndex: 0, lot: "HL2306", prefix: "E", count: 5, status: .active),
        SealBatch(productIndex: 0, lot: "HL2406", prefix: "P", count: 3, status: .pending),
        SealBatch(productIndex: 1, lot: "CL2409", prefix: "D", count: 2, status: .deactivated),
    ]

    let database: PostgresClient
    let logger: Logger
    let resourcesDirectory: String
    private var seedFile: String { "\(resourcesDirectory)/db/seed/demo-products.json" }

    public init(database: PostgresClient, logger: Logger, resourcesDirectory: String) {
        self.database = database
        self.logger = logger
        self.resourcesDirectory = resourcesDirectory
    }

    /// - Parameter supplyChain: also record the demo's partners and supply-chain events
    ///   (tests that build their own leave them out).
    public func seed(supplyChain: Bool = true) async throws {
        let products = try Self.products(resourcesDirectory: resourcesDirectory)
        try await database.withTransaction(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO brands (slug, name, seal_key, support_email, default_language,
                                    loyalty_enabled, loyalty_points, loyalty_claim_gap_seconds, loyalty_expiry_days)
                VALUES (\(Self.brandSlug), 'Maison Aurore', gen_random_bytes(32), 'care@maison-aurore.example', 'fr',
                        true, 50, 10, 365)
                ON CONFLICT (slug) DO NOTHING
                """, logger: logger)
            for (code, names) in Self.productTypes.sorted(by: { $0.key < $1.key }) {
                let namesJSON = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
                try await connection.query("""
                    INSERT INTO product_types (brand_id, code, names)
                    SELECT id, \(code), \(namesJSON)::jsonb FROM brands WHERE slug = \(Self.brandSlug)
                    ON CONFLICT (brand_id, code) DO UPDATE SET names = EXCLUDED.names
                    """, logger: logger)
            }
            var productIDs: [Int64] = []
            for product in products {
                guard let gtin = GTIN(product.gtin) else { throw ResourceError.invalid(seedFile, "bad GTIN \(product.gtin)") }
                let rows = try await connection.query("""
                    INSERT INTO products (brand_id, gtin, default_language, image_url, product_type_id)
                    SELECT b.id, \(gtin.digits), \(product.default_language), \(product.image), pt.id
                    FROM brands b JOIN product_types pt ON pt.brand_id = b.id AND pt.code = \(product.product_type)
                    WHERE b.slug = \(Self.brandSlug)
                    ON CONFLICT (gtin) DO UPDATE SET image_url = EXCLUDED.image_url, product_type_id = EXCLUDED.product_type_id,
                        updated_at = now()
                        WHERE products.brand_id = EXCLUDED.brand_id
                    RETURNING id
                    """, logger: logger).collect()
                // No row back: the GTIN belongs to another brand, which the demo must never touch.
                guard let id = try rows.first?.decode(Int64.self) else {
                    throw ResourceError.invalid(seedFile, "GTIN \(gtin) already belongs to another brand")
                }
                productIDs.append(id)
                for (language, texts) in product.translations.sorted(by: { $0.key < $1.key }) {
                    let characteristics = String(decoding: try JSONEncoder().encode(texts.characteristics), as: UTF8.self)
                    try await connection.query("""
                        INSERT INTO product_translations (brand_id, product_id, language, name, description, origin, composition,
                                                          warnings, hazards, allergens, instructions, characteristics)
                        SELECT brand_id, id, \(language), \(texts.name), \(texts.description), \(texts.origin), \(texts.composition),
                               \(texts.warnings), \(texts.hazards), \(texts.allergens), \(texts.instructions), \(characteristics)::jsonb
                        FROM products WHERE id = \(id)
                        ON CONFLICT (product_id, language) DO UPDATE SET
                            name = EXCLUDED.name, description = EXCLUDED.description, origin = EXCLUDED.origin,
                            composition = EXCLUDED.composition, warnings = EXCLUDED.warnings, hazards = EXCLUDED.hazards,
                            allergens = EXCLUDED.allergens, instructions = EXCLUDED.instructions,
                            characteristics = EXCLUDED.characteristics
                        """, logger: logger)
                }
            }
            for lot in Self.lots {
                let notice = lot.recalled ? (products[lot.productIndex].recall_notice ?? [:]) : [:]
                let noticeJSON = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
                try await connection.query("""
                    INSERT INTO lots (brand_id, product_id, code, produced_on, expires_on, status, recall_notice, recalled_at)
                    SELECT brand_id, id, \(lot.code), \(lot.produced)::date, \(lot.expires)::date,
                           \(lot.recalled ? "recalled" : "released"), \(noticeJSON)::jsonb, CASE WHEN \(lot.recalled) THEN now() END
                    FROM products WHERE id = \(productIDs[lot.productIndex])
                    ON CONFLICT (product_id, code) DO NOTHING
                    """, logger: logger)
            }
            try await seedRewards(connection)
            for batch in Self.batches {
                try await connection.query("""
                    INSERT INTO seals (brand_id, product_id, lot_id, serial, status, activated_at)
                    SELECT l.brand_id, l.product_id, l.id, \(batch.prefix) || lpad(n::text, 5, '0'), \(batch.status.rawValue),
                           CASE WHEN \(batch.status.rawValue) = 'active' THEN now() END
                    FROM lots l, generate_series(1, \(batch.count)) AS n
                    WHERE l.product_id = \(productIDs[batch.productIndex]) AND l.code = \(batch.lot)
                    ON CONFLICT (product_id, serial) DO NOTHING
                    """, logger: logger)
            }
        }
        // After the seals exist: events name them.
        if supplyChain { try await DemoSupplyChain(database: database, logger: logger).seed(brandSlug: Self.brandSlug) }
        logger.info("demo brand seeded", metadata: ["brand": "\(Self.brandSlug)"])
    }

    /// The loyalty rewards of the demo brand, unless it has some already.
    static let rewards: [(cost: Int, stock: Int?, limit: Int?, names: [String: (String, String)])] = [
        (100, 50, nil, [
            "fr": ("Cuillère à miel en olivier", "Taillée à la main dans du bois d’olivier de Provence."),
            "en": ("Olive-wood honey spoon", "Hand-carved from Provençal olive wood."),
            "de": ("Honiglöffel aus Olivenholz", "Von Hand aus provenzalischem Olivenholz geschnitzt."),
            "es": ("Cuchara de miel de olivo", "Tallada a mano en madera de olivo de la Provenza."),
        ]),
        (250, nil, 1, [
            "fr": ("Coffret découverte", "Trois miels de saison en pots de 50 g."),
            "en": ("Discovery box", "Three seasonal honeys in 50 g jars."),
            "de": ("Entdeckerbox", "Drei Honige der Saison in 50-g-Gläsern."),
            "es": ("Caja descubrimiento", "Tres mieles de temporada en tarros de 50 g."),
        ]),
    ]

    private func seedRewards(_ connection: PostgresConnection) async throws {
        let existing = try await connection.query("""
            SELECT count(*)::integer FROM rewards r JOIN brands b ON b.id = r.brand_id WHERE b.slug = \(Self.brandSlug)
            """, logger: logger).collect()
        guard try existing.first?.decode(Int.self) == 0 else { return }
        for reward in Self.rewards {
            let rows = try await connection.query("""
                INSERT INTO rewards (brand_id, point_cost, stock, per_wallet_limit, default_language)
                SELECT id, \(reward.cost), \(reward.stock), \(reward.limit), 'fr' FROM brands WHERE slug = \(Self.brandSlug)
                RETURNING brand_id, id
                """, logger: logger).collect()
            let (brandID, rewardID) = try rows[0].decode((Int64, Int64).self)
            for (language, text) in reward.names.sorted(by: { $0.key < $1.key }) {
                try await connection.query("""
                    INSERT INTO reward_translations (brand_id, reward_id, language, name, description)
                    VALUES (\(brandID), \(rewardID), \(language)::signet_language, \(text.0), \(text.1))
                    """, logger: logger)
            }
        }
    }
}
