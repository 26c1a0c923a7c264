import Logging
import SignetServer
import Testing

@Suite("Expired rows cleanup")
struct ExpiredRowsCleanupTests {
    @Test("expired sessions, day-old idempotency records and photos unused for a week go; live ones stay")
    func cleanup() async throws {
        try await withTestDatabase { database in
            _ = try await DemoFixture.seed(database)
            try await AccountsFixture.user(database, brand: "demo", email: "owner@demo.test", role: .owner)
            _ = try await APIClientFixture.key(database, brand: "demo")
            let (sessions, records) = try await database.withClient { client in
                try await client.run("""
                    INSERT INTO sessions (id_hash, brand_id, user_id, csrf_token, expires_at)
                    SELECT sha256(convert_to(n::text, 'UTF8')), brand_id, id, repeat('x', 43),
                           CASE WHEN n = 1 THEN now() - interval '1 minute' ELSE now() + interval '1 hour' END
                    FROM users, generate_series(1, 2) AS n
                    """)
                try await client.run("""
                    INSERT INTO idempotency_keys (api_key_id, key, request_hash, created_at)
                    SELECT id, k, '\\x00', CASE WHEN k = 'old' THEN now() - interval '25 hours' ELSE now() END
                    FROM api_keys, unnest(ARRAY['old', 'new']) AS k
                    """)
                // Three old photos: one a product shows, one nobody shows, and a recent unused one.
                try await client.run("""
                    INSERT INTO product_images (sha256, brand_id, media_type, bytes, created_at)
                    SELECT sha256(convert_to(n::text, 'UTF8')), b.id, 'image/png', '\\x89', now() - make_interval(days => CASE WHEN n = 3 THEN 1 ELSE 30 END)
                    FROM brands b, generate_series(1, 3) AS n WHERE b.slug = 'demo'
                    """)
                try await client.run("""
                    UPDATE products SET image_url = '/media/products/' || encode(sha256(convert_to('1', 'UTF8')), 'hex') || '.png'
                    WHERE gtin = '03760123450003'
                    """)
                await ExpiredRowsCleanup(database: client, logger: Logger(label: "t")).clean()
                let images = try await client.scalar(
                    "SELECT string_agg(n::text, ',' ORDER BY n) FROM generate_series(1, 3) n JOIN product_images i ON i.sha256 = sha256(convert_to(n::text, 'UTF8'))",
                    as: String.self)
                #expect(images == "1,3")
                return (try await client.scalar("SELECT count(*) FROM sessions", as: Int.self),
                        try await client.scalar("SELECT string_agg(key, ',') FROM idempotency_keys", as: String.self))
            }
            #expect(sessions == 1)
            #expect(records == "new")
        }
    }
}
