import Foundation
import Logging
import PostgresNIO
import SignetCore
import SignetServer

/// The demo brand seeded into a test database, and signed paths to its seals.
struct DemoFixture: Sendable {
    static let honey = GTIN("03760123450003")!
    static let cream = GTIN("03760123450010")!
    static let oliveOil = GTIN("03760123450027")!

    let database: TestDatabase
    let key: [UInt8]

    static func seed(_ database: TestDatabase) async throws -> DemoFixture {
        let key = try await database.withClient { client in
            try await DemoSeeder(database: client, logger: Logger(label: "test-seed"), resourcesDirectory: TestEnvironment.packageRoot).seed()
            let buffer = try await client.scalar("SELECT seal_key FROM brands WHERE slug = 'demo'", as: ByteBuffer.self)
            return Array(buffer!.readableBytesView)
        }
        return DemoFixture(database: database, key: key)
    }

    /// `/01/{gtin}[/10/{lot}]/21/{serial}?t={token}`.
    func path(_ gtin: GTIN, lot: String? = nil, serial: String) -> String {
        SealURL.make(origin: "", gtin: gtin, lot: lot, serial: serial, key: key)
    }

    /// The demo product texts, as seeded.
    nonisolated(unsafe) static let products: [[String: Any]] = {
        let data = FileManager.default.contents(atPath: "\(TestEnvironment.packageRoot)/db/seed/demo-products.json")!
        return try! JSONSerialization.jsonObject(with: data) as! [[String: Any]]
    }()

    static func productName(_ gtin: GTIN, _ language: Language) -> String {
        let product = products.first { ($0["gtin"] as? String) == gtin.digits }!
        let translations = product["translations"] as! [String: [String: String]]
        return translations[language.rawValue]!["name"]!
    }

    /// One consultation row, by id or the latest.
    struct Consultation: Sendable {
        var verdict: String
        var country: String
        var servedLanguage: String
        var requestedLanguage: String?
        var serial: String?
        var sealID: Int64?
        var productID: Int64?
        var channel: String
    }

    func consultations() async throws -> [Consultation] {
        try await database.withClient { client in
            var rows: [Consultation] = []
            let sequence = try await client.query(
                "SELECT verdict, country, served_language::text, requested_language, serial, seal_id, product_id, channel FROM consultations ORDER BY id",
                logger: Logger(label: "test-db"))
            for try await (verdict, country, served, requested, serial, sealID, productID, channel)
                in sequence.decode((String, String, String, String?, String?, Int64?, Int64?, String).self) {
                rows.append(Consultation(
                    verdict: verdict, country: country, servedLanguage: served, requestedLanguage: requested,
                    serial: serial, sealID: sealID, productID: productID, channel: channel))
            }
            return rows
        }
    }
}

/// UI strings as the pages show them (HTML-escaped like mustache does).
enum UIStrings {
    static let tables: [Language: [String: String]] = {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let data = FileManager.default.contents(atPath: "\(TestEnvironment.packageRoot)/Localization/\(language.rawValue).json")!
            tables[language] = try! JSONDecoder().decode([String: String].self, from: data)
        }
        return tables
    }()

    static func html(_ key: String, _ language: Language) -> String {
        escape(tables[language]![key]!)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
