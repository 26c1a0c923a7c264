import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Products, their translations and lots, always within one brand: every
/// statement filters on the brand of whoever asks.
struct CatalogueStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct ProductSummary: Sendable {
        var gtin: String
        var sku: String?
        var productType: String?
        var names: [String: String]
        var defaultLanguage: Language
        var lotCount: Int
        var recalledLotCount: Int

        /// The name in `language`, else in the default language, else the GTIN.
        func name(in language: Language) -> String {
            names[language.rawValue] ?? names[defaultLanguage.rawValue] ?? gtin
        }
    }

    /// The brand's products in GTIN order, of one type when `productType` is
    /// given; `after` and `limit` page through them.
    func products(
        brandID: Int64, access: ProductAccess, productType: String? = nil, after: String? = nil, limit: Int = 10_000
    ) async throws -> [ProductSummary] {
        let rows = try await database.query("""
            SELECT p.gtin, p.sku, pt.code, p.default_language,
                   coalesce((SELECT jsonb_object_agg(t.language, t.name) FROM product_translations t WHERE t.product_id = p.id), '{}')::text,
                   (SELECT count(*) FROM lots l WHERE l.product_id = p.id)::int,
                   (SELECT count(*) FROM lots l WHERE l.product_id = p.id AND l.status = 'recalled')::int
            FROM products p
            LEFT JOIN product_types pt ON pt.id = p.product_type_id
            WHERE p.brand_id = \(brandID) AND (\(after)::text IS NULL OR p.gtin > \(after))
              AND (\(productType)::text IS NULL OR pt.code = \(productType))
              AND (\(access.productIDs)::bigint[] IS NULL OR p.id = ANY(\(access.productIDs)))
            ORDER BY p.gtin
            LIMIT \(limit)
            """, logger: logger)
        var products: [ProductSummary] = []
        for try await (gtin, sku, type, language, names, lots, recalled) in rows.decode((String, String?, String?, String, String, Int, Int).self) {
            products.append(ProductSummary(
                gtin: gtin, sku: sku, productType: type, names: Self.decodeObject(names), defaultLanguage: Language(rawValue: language) ?? .en,
                lotCount: lots, recalledLotCount: recalled))
        }
        return products
    }

    /// The product with this GTIN, if the brand has it and `access` reaches it.
    func product(brandID: Int64, access: ProductAccess, gtin: GTIN) async throws -> ProductRecord? {
        let rows = try await database.query("""
            SELECT p.id, p.sku, p.default_language, p.image_url, (extract(epoch FROM p.updated_at) * 1000000)::bigint,
                   pt.code,
                   coalesce((SELECT jsonb_object_agg(t.language, jsonb_build_object(
                       'name', t.name, 'description', t.description, 'origin', t.origin,
                       'composition', t.composition, 'warnings', t.warnings, 'hazards', t.hazards,
                       'allergens', t.allergens, 'instructions', t.instructions, 'characteristics', t.characteristics))
                     FROM product_translations t WHERE t.product_id = p.id), '{}')::text
            FROM products p
            LEFT JOIN product_types pt ON pt.id = p.product_type_id
            WHERE p.brand_id = \(brandID) AND p.gtin = \(gtin.digits)
              AND (\(access.productIDs)::bigint[] IS NULL OR p.id = ANY(\(access.productIDs)))
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (id, sku, language, imageURL, version, productType, translationsJSON) =
            try row.decode((Int64, String?, String, String?, Int64, String?, String).self)
        var translations: [Language: ProductTexts] = [:]
        let decoded = (try? JSONDecoder().decode([String: StoredTexts].self, from: Data(translationsJSON.utf8))) ?? [:]
        for (code, stored) in decoded {
            guard let language = Language(rawValue: code) else { continue }
            translations[language] = stored.texts
        }
        return ProductRecord(
            id: id, gtin: gtin, sku: sku, defaultLanguage: Language(rawValue: language) ?? .en, imageURL: imageURL,
            version: version, productType: productType, translations: translations,
            lots: try await lots(brandID: brandID, productID: id))
    }

    /// One row of `product_translations` as the product query aggregates it.
    private struct StoredTexts: Decodable {
        var name, description, origin, composition, warnings, hazards, allergens, instructions: String
        var characteristics: [Characteristic]

        var texts: ProductTexts {
            ProductTexts(
                name: name, description: description, origin: origin, composition: composition, warnings: warnings,
                hazards: hazards, allergens: allergens, instructions: instructions, characteristics: characteristics)
        }
    }

    private func lots(brandID: Int64, productID: Int64) async throws -> [LotRecord] {
        let rows = try await database.query("""
            SELECT id, code, produced_on::text, expires_on::text, status, recall_notice::text
            FROM lots WHERE brand_id = \(brandID) AND product_id = \(productID)
            ORDER BY created_at DESC, id DESC
            """, logger: logger)
        var lots: [LotRecord] = []
        for try await (id, code, produced, expires, status, notice) in rows.decode((Int64, String, String?, String?, String, String).self) {
            lots.append(LotRecord(
                id: id, code: code, producedOn: produced, expiresOn: expires, status: status, recallNotice: Self.decodeObject(notice)))
        }
        return lots
    }

    func createProduct(
        brandID: Int64, access: ProductAccess, actor: AuditActor, gtin: GTIN, sku: String?, productType: String? = nil,
        defaultLanguage: Language, translations: [Language: ProductTexts]
    ) async throws {
        do {
            try await database.transaction(logger: logger) { connection in
                let typeID = try await Self.productTypeID(productType, brandID: brandID, on: connection, logger: logger)
                // Narrowed access creates products only in the types granted whole.
                guard access.allowsCreating(productTypeID: typeID) else { throw CatalogueError.outsideAccess }
                let rows = try await connection.query("""
                    INSERT INTO products (brand_id, gtin, sku, default_language, product_type_id)
                    VALUES (\(brandID), \(gtin.digits), \(sku), \(defaultLanguage.rawValue), \(typeID))
                    RETURNING id
                    """, logger: logger).collect()
                let id = try rows.first!.decode(Int64.self)
                try await Self.saveTranslations(translations, productID: id, brandID: brandID, on: connection, logger: logger)
                try await AuditLog.record(
                    "product.create", subject: "product:\(gtin.digits)", brandID: brandID, actor: actor, on: connection, logger: logger)
            }
        } catch let error as PSQLError {
            switch error.violatedUniqueConstraint {
            case "products_gtin_key": throw CatalogueError.gtinTaken
            case "products_brand_sku": throw CatalogueError.skuTaken
            default: throw error
            }
        }
    }

    /// Saves identity and texts if nobody changed the product since `version`.
    /// Languages missing from `translations` are removed from the product.
    func updateProduct(
        brandID: Int64, actor: AuditActor, gtin: GTIN, version: Int64, sku: String?, productType: String?,
        defaultLanguage: Language, translations: [Language: ProductTexts]
    ) async throws {
        do {
            try await database.transaction(logger: logger) { connection in
                let typeID = try await Self.productTypeID(productType, brandID: brandID, on: connection, logger: logger)
                let rows = try await connection.query("""
                    UPDATE products SET sku = \(sku), default_language = \(defaultLanguage.rawValue), product_type_id = \(typeID),
                           updated_at = clock_timestamp()
                    WHERE brand_id = \(brandID) AND gtin = \(gtin.digits)
                      AND (extract(epoch FROM updated_at) * 1000000)::bigint = \(version)
                    RETURNING id
                    """, logger: logger).collect()
                guard let id = try rows.first?.decode(Int64.self) else {
                    let exists = try await connection.query(
                        "SELECT 1 FROM products WHERE brand_id = \(brandID) AND gtin = \(gtin.digits)", logger: logger
                    ).collect()
                    throw exists.isEmpty ? CatalogueError.productNotFound : CatalogueError.staleVersion
                }
                let kept = translations.keys.map(\.rawValue)
                try await connection.query(
                    "DELETE FROM product_translations WHERE product_id = \(id) AND NOT (language = ANY(\(kept)))", logger: logger)
                try await Self.saveTranslations(translations, productID: id, brandID: brandID, on: connection, logger: logger)
                try await AuditLog.record(
                    "product.update", subject: "product:\(gtin.digits)",
                    details: ["languages": kept.sorted().joined(separator: ",")],
                    brandID: brandID, actor: actor, on: connection, logger: logger)
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint == "products_brand_sku" {
            throw CatalogueError.skuTaken
        }
    }

    func createLot(
        brandID: Int64, actor: AuditActor, gtin: GTIN, code: String, producedOn: CalendarDate?, expiresOn: CalendarDate?
    ) async throws {
        do {
            try await database.transaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    INSERT INTO lots (brand_id, product_id, code, produced_on, expires_on)
                    SELECT p.brand_id, p.id, \(code), \(producedOn?.description)::date, \(expiresOn?.description)::date
                    FROM products p WHERE p.brand_id = \(brandID) AND p.gtin = \(gtin.digits)
                    RETURNING id
                    """, logger: logger).collect()
                guard !rows.isEmpty else { throw CatalogueError.productNotFound }
                try await AuditLog.record(
                    "lot.create", subject: "lot:\(gtin.digits)/\(code)", brandID: brandID, actor: actor, on: connection, logger: logger)
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint == "lots_product_id_code_key" {
            throw CatalogueError.lotCodeTaken
        }
    }

    /// Recalls a lot (with its notice per language) or releases it again; the
    /// next scan of any of its seals shows the new state.
    func setLotRecalled(
        brandID: Int64, actor: AuditActor, gtin: GTIN, code: String, recalled: Bool, notice: [String: String]
    ) async throws {
        let noticeJSON = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE lots l SET
                    status = CASE WHEN \(recalled) THEN 'recalled' ELSE 'released' END,
                    recall_notice = CASE WHEN \(recalled) THEN \(noticeJSON)::jsonb ELSE l.recall_notice END,
                    recalled_at = CASE WHEN \(recalled) THEN coalesce(l.recalled_at, now()) END
                FROM products p
                WHERE p.id = l.product_id AND p.brand_id = \(brandID) AND p.gtin = \(gtin.digits) AND l.code = \(code)
                RETURNING l.id
                """, logger: logger).collect()
            guard !rows.isEmpty else { throw CatalogueError.lotNotFound }
            try await AuditLog.record(
                recalled ? "lot.recall" : "lot.release", subject: "lot:\(gtin.digits)/\(code)",
                brandID: brandID, actor: actor, on: connection, logger: logger)
        }
    }

    private static func saveTranslations(
        _ translations: [Language: ProductTexts], productID: Int64, brandID: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws {
        for (language, texts) in translations.sorted(by: { $0.key < $1.key }) {
            let characteristics = String(decoding: try JSONEncoder().encode(texts.characteristics), as: UTF8.self)
            try await connection.query("""
                INSERT INTO product_translations (brand_id, product_id, language, name, description, origin, composition,
                                                  warnings, hazards, allergens, instructions, characteristics)
                VALUES (\(brandID), \(productID), \(language.rawValue), \(texts.name), \(texts.description), \(texts.origin),
                        \(texts.composition), \(texts.warnings), \(texts.hazards), \(texts.allergens), \(texts.instructions),
                        \(characteristics)::jsonb)
                ON CONFLICT (product_id, language) DO UPDATE SET
                    name = EXCLUDED.name, description = EXCLUDED.description, origin = EXCLUDED.origin,
                    composition = EXCLUDED.composition, warnings = EXCLUDED.warnings, hazards = EXCLUDED.hazards,
                    allergens = EXCLUDED.allergens, instructions = EXCLUDED.instructions,
                    characteristics = EXCLUDED.characteristics
                """, logger: logger)
        }
    }

    /// The id of the brand's product type `code`; nil for no type.
    private static func productTypeID(
        _ code: String?, brandID: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int64? {
        guard let code else { return nil }
        let rows = try await connection.query(
            "SELECT id FROM product_types WHERE brand_id = \(brandID) AND code = \(code)", logger: logger
        ).collect()
        guard let id = try rows.first?.decode(Int64.self) else { throw CatalogueError.productTypeNotFound }
        return id
    }

    private static func decodeObject(_ json: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
    }
}
