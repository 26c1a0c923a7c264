import Foundation
import Logging
import PostgresNIO
import SignetCore
import SignetServer
import SignetTools
import Testing

/// The demo brand seeded into a test database, and signed paths to its seals.
struct DemoFixture: Sendable {
    static let honey = GTIN("03760123450003")!
    static let cream = GTIN("03760123450010")!
    static let oliveOil = GTIN("03760123450027")!

    let database: TestDatabase
    let key: [UInt8]

    static func seed(_ database: TestDatabase, supplyChain: Bool = false) async throws -> DemoFixture {
        let key = try await database.withClient { client in
            try await DemoSeeder(database: client, logger: Logger(label: "test-seed"), resourcesDirectory: TestEnvironment.packageRoot)
                .seed(supplyChain: supplyChain)
            let buffer = try await client.scalar("SELECT seal_key FROM brands WHERE slug = 'demo'", as: ByteBuffer.self)
            return Array(buffer!.readableBytesView)
        }
        return DemoFixture(database: database, key: key)
    }

    /// The signed path of a demo honey seal, reading the key from the database.
    static func seedPath(_ database: TestDatabase, serial: String) async throws -> String {
        let key = try await database.withClient { client in
            Array(try await client.scalar("SELECT seal_key FROM brands WHERE slug = 'demo'", as: ByteBuffer.self)!.readableBytesView)
        }
        return SealURL.make(origin: "", gtin: honey, lot: "HL2406", serial: serial, key: key)
    }

    /// `/01/{gtin}[/10/{lot}]/21/{serial}?t={token}`.
    func path(_ gtin: GTIN, lot: String? = nil, serial: String) -> String {
        SealURL.make(origin: "", gtin: gtin, lot: lot, serial: serial, key: key)
    }

    /// The demo product as seeded, read with the seeder's own reader.
    static func product(_ gtin: GTIN) throws -> DemoSeeder.ProductSeed {
        let products = try DemoSeeder.products(resourcesDirectory: TestEnvironment.packageRoot)
        return try #require(products.first { $0.gtin == gtin.digits }, "no demo product \(gtin)")
    }

    static func productName(_ gtin: GTIN, _ language: Language) throws -> String {
        try #require(product(gtin).translations[language.rawValue], "no \(language) text for \(gtin)").name
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

/// UI strings as the pages show them. The escaping is written again here on
/// purpose: the tests check the server's escaper against an independent one.
enum UIStrings {
    static func text(_ key: String, _ language: Language) throws -> String {
        let catalog = try LocalizationLoader.load(directory: "\(TestEnvironment.packageRoot)/Localization")
        return try #require(catalog.strings(language).table[key], "no \(language) string \(key)")
    }

    static func html(_ key: String, _ language: Language) throws -> String {
        escape(try text(key, language))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
