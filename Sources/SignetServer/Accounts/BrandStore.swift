import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Brands: created by an operator (`signet brands create`), each with its own seal key.
public struct BrandStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    public init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public struct Brand: Sendable {
        public var id: Int64
        public var slug: String
        public var name: String
        public var defaultLanguage: Language
    }

    /// Creates a brand with a fresh 32-byte seal key made by PostgreSQL's CSPRNG.
    public func create(slug: String, name: String, defaultLanguage: Language) async throws -> Brand {
        guard slug.utf8.count <= 63, let first = slug.first, first != "-",
              slug.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { throw AccountError.invalidSlug(slug) }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(name.count) else { throw AccountError.invalidName }
        return try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                INSERT INTO brands (slug, name, seal_key, default_language)
                VALUES (\(slug), \(name), gen_random_bytes(32), \(defaultLanguage.rawValue))
                ON CONFLICT (slug) DO NOTHING
                RETURNING id
                """, logger: logger).collect()
            guard let id = try rows.first?.decode(Int64.self) else { throw AccountError.brandExists(slug) }
            try await AuditLog.record("brand.create", subject: "brand:\(slug)", brandID: id, actor: .commandLine, on: connection, logger: logger)
            return Brand(id: id, slug: slug, name: name, defaultLanguage: defaultLanguage)
        }
    }

    public func find(slug: String) async throws -> Brand? {
        let rows = try await database.query(
            "SELECT id, slug, name, default_language FROM brands WHERE slug = \(slug)", logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (id, slug, name, language) = try row.decode((Int64, String, String, String).self)
        return Brand(id: id, slug: slug, name: name, defaultLanguage: Language(rawValue: language) ?? .en)
    }

    /// What owners may change about their brand in the portal.
    struct Settings: Sendable, Equatable {
        var name: String
        var supportEmail: String?
        var defaultLanguage: Language
        var ownersNeedTwoFactor: Bool
        /// More scan sessions than this make a seal `suspicious` (1–1000).
        var sessionLimit: Int = 5
        /// One visitor's scans less than this many minutes apart are one session (1–1440).
        var sessionMinutes: Int = 30
        /// The query parameters the brand's NFC tags write.
        var nfcParameters = SUNParameters.Names()
        /// Seals printed `pending` become active when a commissioning event names them.
        var activateOnCommissioning = false
        /// The IANA zone the dashboard's days start in, and the pair rollups are derived in besides UTC.
        var statisticsTimeZone = "UTC"
    }

    /// Whether both this server and PostgreSQL know an IANA time zone (statistics are cut in both).
    func knowsTimeZone(_ name: String) async throws -> Bool {
        guard name.count <= 64, TimeZone(identifier: name) != nil else { return false }
        let rows = try await database.query(
            "SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = \(name))", logger: logger).collect()
        return try rows.first?.decode(Bool.self) ?? false
    }

    func settings(brandID: Int64) async throws -> Settings? {
        let rows = try await database.query("""
            SELECT name, support_email, default_language::text, owners_need_two_factor, session_limit, session_minutes,
                   array_to_string(nfc_parameters, ','), nfc_mac_input, activate_on_commissioning, statistics_time_zone
            FROM brands WHERE id = \(brandID)
            """, logger: logger).collect()
        guard let (name, email, language, twoFactor, sessionLimit, sessionMinutes, nfcParameters, macInput, activate, zone)
            = try rows.first?.decode((String, String?, String, Bool, Int, Int, String, String, Bool, String).self) else { return nil }
        let macInputStart = SUNParameters.MACInputStart(rawValue: macInput) ?? .fileData
        return Settings(
            name: name, supportEmail: email, defaultLanguage: Language(rawValue: language) ?? .en, ownersNeedTwoFactor: twoFactor,
            sessionLimit: sessionLimit, sessionMinutes: sessionMinutes,
            nfcParameters: SUNParameters.Names(list: nfcParameters, macInputStart: macInputStart)
                ?? SUNParameters.Names(macInputStart: macInputStart),
            activateOnCommissioning: activate, statisticsTimeZone: zone)
    }

    func update(brandID: Int64, actor: AuditActor, _ settings: Settings) async throws {
        try await database.transaction(logger: logger) { connection in
            let before = try await connection.query(
                "SELECT owners_need_two_factor, statistics_time_zone FROM brands WHERE id = \(brandID) FOR UPDATE", logger: logger
            ).collect()
            let (wasRequired, previousZone) = try before.first?.decode((Bool, String).self) ?? (false, settings.statisticsTimeZone)
            try await connection.query("""
                UPDATE brands SET name = \(settings.name), support_email = \(settings.supportEmail),
                                  default_language = \(settings.defaultLanguage.rawValue),
                                  owners_need_two_factor = \(settings.ownersNeedTwoFactor),
                                  session_limit = \(settings.sessionLimit), session_minutes = \(settings.sessionMinutes),
                                  nfc_parameters = \([settings.nfcParameters.piccData, settings.nfcParameters.fileData, settings.nfcParameters.mac]),
                                  nfc_mac_input = \(settings.nfcParameters.macInputStart.rawValue),
                                  activate_on_commissioning = \(settings.activateOnCommissioning),
                                  statistics_time_zone = \(settings.statisticsTimeZone)
                WHERE id = \(brandID)
                """, logger: logger)
            if previousZone != settings.statisticsTimeZone {
                // The old zone's pair rollups go; the derivation starts the new zone's. The statistics
                // consumer's position row keeps a batch from adding late consultations to the old zone meanwhile.
                try await connection.query("""
                    SELECT 1 FROM consultation_stream_positions WHERE consumer = \(StatisticsRecorder.consumer) FOR UPDATE
                    """, logger: logger)
                try await connection.query("SELECT signet_stats_forget_zones(\(brandID))", logger: logger)
            }
            try await AuditLog.record(
                "brand.update", subject: "brand:\(brandID)",
                details: ["name": settings.name, "support_email": settings.supportEmail ?? "",
                          "default_language": settings.defaultLanguage.rawValue,
                          "owners_need_two_factor": String(settings.ownersNeedTwoFactor),
                          "session_limit": String(settings.sessionLimit), "session_minutes": String(settings.sessionMinutes),
                          "nfc_parameters": settings.nfcParameters.list, "nfc_mac_input": settings.nfcParameters.macInputStart.rawValue,
                          "activate_on_commissioning": String(settings.activateOnCommissioning),
                          "statistics_time_zone": settings.statisticsTimeZone],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            if wasRequired != settings.ownersNeedTwoFactor {
                try await AuditLog.record(
                    settings.ownersNeedTwoFactor ? "brand.require_two_factor" : "brand.relax_two_factor", subject: "brand:\(brandID)",
                    brandID: brandID, actor: actor, on: connection, logger: logger)
            }
        }
    }
}
