import Foundation
import Logging
import PostgresNIO
import SignetCore

/// A brand's reward catalogue: translated names, point cost, stock, dates.
struct RewardStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Reward: Sendable {
        var id: Int64
        var brandID: Int64
        var pointCost: Int
        /// Nil: unlimited.
        var stock: Int?
        var perWalletLimit: Int?
        var activeFrom: Date?
        var activeUntil: Date?
        var imageURL: String?
        var defaultLanguage: Language
        var archived: Bool
        var names: [Language: (name: String, description: String)]

        /// The name and description in `language`, else in the reward's default language.
        func text(in language: Language) -> (name: String, description: String) {
            names[language] ?? names[defaultLanguage] ?? names.values.first ?? ("", "")
        }

        func isActive(at now: Date) -> Bool {
            !archived && (activeFrom.map { now >= $0 } ?? true) && (activeUntil.map { now < $0 } ?? true)
        }
    }

    struct Draft: Sendable {
        var pointCost: Int
        var stock: Int?
        var perWalletLimit: Int?
        var activeFrom: Date?
        var activeUntil: Date?
        var defaultLanguage: Language
        var names: [Language: (name: String, description: String)]
    }

    func create(brandID: Int64, _ draft: Draft, actor: AuditActor = .commandLine) async throws -> Int64 {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO rewards (brand_id, point_cost, stock, per_wallet_limit, active_from, active_until, default_language)
                VALUES (\(brandID), \(draft.pointCost), \(draft.stock), \(draft.perWalletLimit), \(draft.activeFrom), \(draft.activeUntil),
                        \(draft.defaultLanguage.rawValue)::signet_language)
                RETURNING id
                """, logger: logger).collect()
            let id = try rows[0].decode(Int64.self)
            try await writeTexts(draft, rewardID: id, brandID: brandID, action: "reward.create", actor: actor, on: connection)
            return id
        }
    }

    /// Replaces a reward's terms and texts; false when the brand has no such
    /// reward. Issued vouchers keep the points they cost.
    func update(brandID: Int64, id: Int64, _ draft: Draft, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE rewards SET point_cost = \(draft.pointCost), stock = \(draft.stock), per_wallet_limit = \(draft.perWalletLimit),
                                   active_from = \(draft.activeFrom), active_until = \(draft.activeUntil),
                                   default_language = \(draft.defaultLanguage.rawValue)::signet_language, updated_at = now()
                WHERE brand_id = \(brandID) AND id = \(id)
                RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return false }
            try await connection.query("DELETE FROM reward_translations WHERE reward_id = \(id)", logger: logger)
            try await writeTexts(draft, rewardID: id, brandID: brandID, action: "reward.update", actor: actor, on: connection)
            return true
        }
    }

    /// The draft's texts, and the audit event of the change, in its transaction.
    private func writeTexts(
        _ draft: Draft, rewardID id: Int64, brandID: Int64, action: String, actor: AuditActor, on connection: PostgresConnection
    ) async throws {
        for (language, text) in draft.names {
            try await connection.query("""
                INSERT INTO reward_translations (brand_id, reward_id, language, name, description)
                VALUES (\(brandID), \(id), \(language.rawValue)::signet_language, \(text.name), \(text.description))
                """, logger: logger)
        }
        try await AuditLog.record(
            action, subject: "reward:\(id)",
            details: ["point_cost": String(draft.pointCost), "stock": draft.stock.map(String.init) ?? "unlimited",
                      "name": draft.names[draft.defaultLanguage]?.name ?? ""],
            brandID: brandID, actor: actor, on: connection, logger: logger)
    }

    /// Shows `bytes` with the reward (see `BrandImage`); nil when the brand has no such reward, else the image's URL.
    func setImage(brandID: Int64, id: Int64, bytes: [UInt8], format: ImageFormat, actor: AuditActor) async throws -> String? {
        try await database.transaction(logger: logger) { connection in
            let url = try await BrandImage.store(brandID: brandID, bytes: bytes, format: format, on: connection, logger: logger)
            guard try await setImageURL(url, brandID: brandID, id: id, actor: actor, on: connection) else { return nil }
            return url
        }
    }

    /// Takes the reward's image away; false when the brand has no such reward.
    func removeImage(brandID: Int64, id: Int64, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            try await setImageURL(nil, brandID: brandID, id: id, actor: actor, on: connection)
        }
    }

    private func setImageURL(_ url: String?, brandID: Int64, id: Int64, actor: AuditActor, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            UPDATE rewards SET image_url = \(url), updated_at = now() WHERE brand_id = \(brandID) AND id = \(id) RETURNING id
            """, logger: logger).collect()
        guard !rows.isEmpty else { return false }
        try await AuditLog.record(
            url == nil ? "reward.remove_image" : "reward.set_image", subject: "reward:\(id)", details: url.map { ["image": $0] } ?? [:],
            brandID: brandID, actor: actor, on: connection, logger: logger)
        return true
    }

    /// Archives (offered no more) or brings back a reward; false when the brand has no such reward.
    func setArchived(brandID: Int64, id: Int64, archived: Bool, actor: AuditActor) async throws -> Bool {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE rewards SET archived = \(archived), updated_at = now() WHERE brand_id = \(brandID) AND id = \(id) RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { return false }
            try await AuditLog.record(
                archived ? "reward.archive" : "reward.restore", subject: "reward:\(id)",
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return true
        }
    }

    /// The brand's rewards (archived ones too when asked), cheapest first.
    func rewards(brandID: Int64, includeArchived: Bool = false) async throws -> [Reward] {
        try await rewards(where: "r.brand_id = $1 AND ($2 OR NOT r.archived)", brandID, includeArchived)
    }

    func reward(brandID: Int64, id: Int64) async throws -> Reward? {
        try await rewards(where: "r.brand_id = $1 AND r.id = $2", brandID, id).first
    }

    private func rewards(where condition: String, _ brandID: Int64, _ second: some PostgresEncodable & Sendable) async throws -> [Reward] {
        var bindings = PostgresBindings()
        bindings.append(brandID)
        try bindings.append(second)
        let rows = try await database.query(PostgresQuery(unsafeSQL: """
            SELECT r.id, r.brand_id, r.point_cost, r.stock, r.per_wallet_limit, r.active_from, r.active_until, r.image_url,
                   r.default_language::text, r.archived,
                   coalesce(jsonb_object_agg(t.language, jsonb_build_array(t.name, t.description)) FILTER (WHERE t.language IS NOT NULL), '{}')::text
            FROM rewards r LEFT JOIN reward_translations t ON t.reward_id = r.id
            WHERE \(condition)
            GROUP BY r.id
            ORDER BY r.point_cost, r.id
            """, binds: bindings), logger: logger)
        var rewards: [Reward] = []
        for try await (id, brand, cost, stock, limit, from, until, image, language, archived, names)
            in rows.decode((Int64, Int64, Int, Int?, Int?, Date?, Date?, String?, String, Bool, String).self)
        {
            let decoded = (try? JSONDecoder().decode([String: [String]].self, from: Data(names.utf8))) ?? [:]
            var texts: [Language: (name: String, description: String)] = [:]
            for (code, pair) in decoded {
                if let language = Language(rawValue: code), pair.count == 2 { texts[language] = (pair[0], pair[1]) }
            }
            rewards.append(Reward(
                id: id, brandID: brand, pointCost: cost, stock: stock, perWalletLimit: limit, activeFrom: from, activeUntil: until,
                imageURL: image, defaultLanguage: Language(rawValue: language) ?? .en, archived: archived, names: texts))
        }
        return rewards
    }
}
