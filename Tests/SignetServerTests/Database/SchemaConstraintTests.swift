import Logging
import PostgresNIO
import SignetCore
import SignetServer
import Testing

@Suite("The schema refuses what could never be scanned")
struct SchemaConstraintTests {
    @Test("signet_gtin_is_valid agrees with GTIN on valid and corrupted numbers")
    func gtinCheckDigit() async throws {
        var samples: [String] = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let digits = (0..<14).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            samples.append(digits)
        }
        samples += ["03760123450003", "03760123450004", "00012345600012", "12345678901231"]
        let all = samples
        try await withTestDatabase { database in
            try await database.withClient { client in
                for digits in all {
                    let sql = try await client.scalar("SELECT signet_gtin_is_valid(\(digits))", as: Bool.self)
                    #expect(sql == (GTIN(digits) != nil), "\(digits)")
                }
            }
        }
    }

    @Test("serials and lots outside AI-82 or over 20 characters, and bad GTINs, are refused", arguments: [
        "INSERT INTO products (brand_id, gtin, default_language) SELECT id, '03760123450004', 'en' FROM brands",
        "UPDATE seals SET serial = 'has space' WHERE serial = 'H00001'",
        "UPDATE seals SET serial = 'é' WHERE serial = 'H00001'",
        "UPDATE seals SET serial = repeat('A', 21) WHERE serial = 'H00001'",
        "UPDATE lots SET code = 'a#b' WHERE code = 'HL2406'",
    ])
    func refused(statement: String) async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await database.withClient { client in
                await #expect(throws: PSQLError.self) { try await client.run(PostgresQuery(unsafeSQL: statement)) }
            }
        }
    }
}
