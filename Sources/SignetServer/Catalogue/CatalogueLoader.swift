import Crypto
import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Reads the catalogue the scan path keeps in memory: all of it, or only the
/// rows a change notification names.
struct CatalogueLoader: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    private func run(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await connection.queryWhileOpen(query, logger: logger)
    }

    /// Everything, as one consistent picture (one snapshot for every read).
    func everything() async throws -> CatalogueSnapshot {
        var snapshot = CatalogueSnapshot()
        _ = try await run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        do {
            for brand in try await brands(ids: nil) { snapshot.replace(brand: brand.id, with: brand) }
            for type in try await productTypes(ids: nil) { snapshot.replace(productType: type.id, with: type) }
            for product in try await products(ids: nil) { snapshot.replace(product: product.id, with: product) }
            for lot in try await lots(ids: nil) { snapshot.replace(lot: lot.id, with: lot) }
            for recall in try await recalls(ids: nil) { snapshot.replace(recall: recall.id, with: recall) }
            _ = try await run("COMMIT")
        } catch {
            _ = try? await run("ROLLBACK")
            throw error
        }
        return snapshot
    }

    func brands(ids: [Int64]?) async throws -> [CachedBrand] {
        var brands: [CachedBrand] = []
        let rows = try await run("""
            SELECT id, slug, name, support_email, seal_key, session_limit, session_minutes,
                   loyalty_enabled, loyalty_points, loyalty_daily_claims, loyalty_claim_gap_seconds, loyalty_expiry_days,
                   array_to_string(nfc_parameters, ','), nfc_mac_input
            FROM brands WHERE \(ids)::bigint[] IS NULL OR id = ANY (\(ids))
            """)
        for try await (id, slug, name, email, key, sessionLimit, sessionMinutes, loyaltyOn, points, daily, gap, expiry, nfcParameters, macInput)
            in rows.decode((Int64, String, String, String?, ByteBuffer, Int, Int, Bool, Int, Int, Int, Int?, String, String).self)
        {
            brands.append(CachedBrand(
                id: id, slug: slug,
                nfcParameters: SUNParameters.Names(list: nfcParameters, macInputStart: .init(rawValue: macInput) ?? .fileData)
                    ?? SUNParameters.Names(),
                name: name, supportEmail: email, sealKey: SymmetricKey(data: Array(key.readableBytesView)),
                sessionLimit: sessionLimit, sessionMinutes: sessionMinutes,
                loyalty: LoyaltyTerms(enabled: loyaltyOn, defaultPoints: points, dailyClaims: daily, claimGapSeconds: gap, expiryDays: expiry)))
        }
        return brands
    }

    func productTypes(ids: [Int64]?) async throws -> [CachedProductType] {
        var types: [CachedProductType] = []
        let rows = try await run("""
            SELECT id, brand_id, code, names::text FROM product_types WHERE \(ids)::bigint[] IS NULL OR id = ANY (\(ids))
            """)
        for try await (id, brand, code, names) in rows.decode((Int64, Int64, String, String).self) {
            let decoded = (try? JSONDecoder().decode([String: String].self, from: Data(names.utf8))) ?? [:]
            types.append(CachedProductType(id: id, brandID: brand, code: code, names: decoded))
        }
        return types
    }

    /// Products with every translation.
    func products(ids: [Int64]?) async throws -> [CachedProduct] {
        var products: [Int64: CachedProduct] = [:]
        let productRows = try await run("""
            SELECT id, brand_id, gtin, default_language::text, image_url, product_type_id, loyalty_points
            FROM products WHERE \(ids)::bigint[] IS NULL OR id = ANY (\(ids))
            """)
        for try await (id, brand, gtin, language, image, type, points)
            in productRows.decode((Int64, Int64, String, String, String?, Int64?, Int?).self)
        {
            products[id] = CachedProduct(
                id: id, brandID: brand, gtin: gtin, defaultLanguage: Language(rawValue: language) ?? .en,
                imageURL: image, productTypeID: type, translations: [:], loyaltyPoints: points)
        }
        let translationRows = try await run("""
            SELECT product_id, language::text, name, description, origin, composition, warnings,
                   hazards, allergens, instructions, characteristics::text
            FROM product_translations WHERE \(ids)::bigint[] IS NULL OR product_id = ANY (\(ids))
            """)
        for try await (product, language, name, description, origin, composition, warnings, hazards, allergens, instructions, characteristics)
            in translationRows.decode((Int64, String, String, String, String, String, String, String, String, String, String).self)
        {
            guard let language = Language(rawValue: language) else { continue }
            products[product]?.translations[language] = CachedTranslation(
                name: name, description: description, origin: origin, composition: composition, warnings: warnings,
                hazards: hazards, allergens: allergens, instructions: instructions,
                characteristics: ProductText.decodeCharacteristics(characteristics))
        }
        let linkRows = try await run("""
            SELECT product_id, lot_code, serial, link_type, href, title, array_to_string(languages, ','), media_type, context, is_default
            FROM product_links WHERE \(ids)::bigint[] IS NULL OR product_id = ANY (\(ids))
            ORDER BY id
            """)
        for try await (product, lot, serial, type, href, title, languages, mediaType, context, isDefault)
            in linkRows.decode((Int64, String?, String?, String, String, String, String, String?, String?, Bool).self)
        {
            guard let type = GS1LinkType(GS1LinkType.prefix + type) else { continue }
            let level: ResolverLink.Level = if let lot { .lot(lot) } else if let serial { .serial(serial) } else { .product }
            products[product]?.links.append(ResolverLink(
                level: level, type: type, href: href, title: title,
                languages: languages.split(separator: ",").map(String.init), mediaType: mediaType, context: context,
                isDefault: isDefault))
        }
        return Array(products.values)
    }

    func recalls(ids: [Int64]?) async throws -> [CachedRecall] {
        var recalls: [CachedRecall] = []
        let rows = try await run("SELECT id, notice::text FROM recalls WHERE \(ids)::bigint[] IS NULL OR id = ANY (\(ids))")
        for try await (id, notice) in rows.decode((Int64, String).self) {
            let notices = (try? JSONDecoder().decode([String: String].self, from: Data(notice.utf8))) ?? [:]
            recalls.append(CachedRecall(id: id, notice: notices))
        }
        return recalls
    }

    func lots(ids: [Int64]?) async throws -> [CachedLot] {
        var lots: [CachedLot] = []
        let rows = try await run("""
            SELECT id, product_id, code, to_char(produced_on, 'YYYY-MM-DD'), to_char(expires_on, 'YYYY-MM-DD'),
                   status = 'recalled', recall_notice::text
            FROM lots WHERE \(ids)::bigint[] IS NULL OR id = ANY (\(ids))
            """)
        for try await (id, product, code, produced, expires, recalled, notice)
            in rows.decode((Int64, Int64, String, String?, String?, Bool, String).self)
        {
            let notices = (try? JSONDecoder().decode([String: String].self, from: Data(notice.utf8))) ?? [:]
            lots.append(CachedLot(
                id: id, productID: product, code: code, producedOn: produced, expiresOn: expires,
                recalled: recalled, recallNotice: notices))
        }
        return lots
    }
}
