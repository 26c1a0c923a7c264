import Foundation
import Logging
import PostgresNIO
import SignetCore
import SignetServer

/// A large synthetic catalogue for `scripts/bench`: brands, products in four
/// languages, one released lot each, and active seals loaded with COPY; plus
/// the signed scan list that wrk and pgbench draw from.
public struct BenchmarkDataset: Sendable {
    public var brands: Int
    public var products: Int
    public var seals: Int

    public init(brands: Int = 3, products: Int = 100, seals: Int = 1_000_000) {
        self.brands = brands
        self.products = products
        self.seals = seals
    }

    /// Products get GTIN-14s with indicator digit 2 so they never collide with the demo brand's.
    public static func gtin(product: Int) -> GTIN {
        let body = "2" + String(900_000_000_000 + product)
        let digits = body.utf8.map { Int($0 - 48) }
        let sum = digits.reversed().enumerated().reduce(0) { $0 + $1.element * ($1.offset.isMultiple(of: 2) ? 3 : 1) }
        return GTIN(body + String((10 - sum % 10) % 10))!
    }

    static func serial(_ index: Int) -> String { "B" + padded(String(index), to: 7) }

    static func padded(_ text: String, to width: Int) -> String {
        String(repeating: "0", count: max(0, width - text.count)) + text
    }
    static let lot = "BL2601"

    public struct Timings: Sendable {
        public var catalogue: Duration
        public var sealBatch: Duration
        public var scanList: Duration
    }

    /// Loads everything; the brand slugs are `bench-1`... and loading twice is refused.
    public func load(database: PostgresClient, logger: Logger, scanListPath: String) async throws -> Timings {
        let clock = ContinuousClock()
        var timings = Timings(catalogue: .zero, sealBatch: .zero, scanList: .zero)

        let start = clock.now
        let productIDs = try await loadCatalogue(database: database, logger: logger)
        timings.catalogue = clock.now - start

        let sealsStart = clock.now
        try await loadSeals(productIDs: productIDs, database: database, logger: logger)
        timings.sealBatch = clock.now - sealsStart

        let listStart = clock.now
        try await writeScanList(database: database, logger: logger, path: scanListPath)
        timings.scanList = clock.now - listStart
        return timings
    }

    /// Product ids in product order, with their brand and lot.
    private func loadCatalogue(database: PostgresClient, logger: Logger) async throws -> [(product: Int64, brand: Int64, lot: Int64)] {
        try await database.withTransaction(logger: logger) { connection in
            var ids: [(product: Int64, brand: Int64, lot: Int64)] = []
            var brandIDs: [Int64] = []
            for brand in 1...brands {
                let rows = try await connection.query("""
                    INSERT INTO brands (slug, name, seal_key, support_email, default_language, loyalty_enabled)
                    VALUES (\("bench-\(brand)"), \("Bench Brand \(brand)"), gen_random_bytes(32), 'bench@example.com', 'en', true)
                    RETURNING id
                    """, logger: logger).collect()
                brandIDs.append(try rows[0].decode(Int64.self))
            }
            for product in 0..<products {
                let brandID = brandIDs[product % brands]
                let gtin = Self.gtin(product: product)
                let rows = try await connection.query("""
                    WITH p AS (
                        INSERT INTO products (brand_id, gtin, default_language, image_url)
                        VALUES (\(brandID), \(gtin.digits), 'en', '/img/products/honey.svg') RETURNING id, brand_id
                    ), t AS (
                        INSERT INTO product_translations (brand_id, product_id, language, name, description, origin, composition, warnings)
                        SELECT p.brand_id, p.id, l, 'Product ' || \(product) || ' (' || l || ')', 'A benchmark product.',
                               'Lyon, France', 'Water, sugar.', 'Keep away from children.'
                        FROM p, unnest(ARRAY['en', 'fr', 'de', 'es']) AS l
                    )
                    INSERT INTO lots (brand_id, product_id, code, produced_on, expires_on)
                    SELECT p.brand_id, p.id, \(Self.lot), DATE '2026-01-10', DATE '2028-01-10' FROM p
                    RETURNING product_id, id
                    """, logger: logger).collect()
                let (productID, lotID) = try rows[0].decode((Int64, Int64).self)
                ids.append((productID, brandID, lotID))
            }
            return ids
        }
    }

    /// Seal i belongs to product i % products, so every product gets its share.
    private func loadSeals(productIDs: [(product: Int64, brand: Int64, lot: Int64)], database: PostgresClient, logger: Logger) async throws {
        try await database.withConnection { connection in
            try await connection.copyFrom(table: "seals", columns: ["brand_id", "product_id", "lot_id", "serial", "status"], logger: logger) { writer in
                var buffer = ByteBuffer()
                for index in 0..<seals {
                    let ids = productIDs[index % productIDs.count]
                    buffer.writeString("\(ids.brand)\t\(ids.product)\t\(ids.lot)\t\(Self.serial(index))\tactive\n")
                    if buffer.readableBytes > 1 << 20 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                try await writer.write(buffer)
            }
        }
    }

    /// Writes one signed scan path per line for wrk, and the same scans into
    /// the unlogged table `bench_scans` for pgbench.
    private func writeScanList(database: PostgresClient, logger: Logger, path: String) async throws {
        var keys: [Int64: [UInt8]] = [:]
        for try await (id, key) in try await database.query(
            "SELECT id, seal_key FROM brands WHERE slug LIKE 'bench-%'", logger: logger
        ).decode((Int64, ByteBuffer).self) {
            keys[id] = Array(key.readableBytesView)
        }
        var idsOfProduct: [Int: (product: Int64, brand: Int64, lot: Int64)] = [:]
        for product in 0..<products {
            let rows = try await database.query("""
                SELECT p.id, p.brand_id, l.id FROM products p JOIN lots l ON l.product_id = p.id AND l.code = \(Self.lot)
                WHERE p.gtin = \(Self.gtin(product: product).digits)
                """, logger: logger).collect()
            idsOfProduct[product] = try rows.first?.decode((Int64, Int64, Int64).self)
        }

        FileManager.default.createFile(atPath: path, contents: nil)
        guard let file = FileHandle(forWritingAtPath: path) else { throw ResourceError.missing(path) }
        defer { try? file.close() }
        let languages = ["{en}", "{fr,en}", "{de,en}", "{es,fr}"]
        let countries = ["FR", "DE", "ES", "US", "GB", "unknown"]

        try await database.withConnection { connection in
            try await connection.query("""
                CREATE UNLOGGED TABLE IF NOT EXISTS bench_scans (
                    n integer PRIMARY KEY, gtin text, serial text, token text, lot text,
                    prefs text, requested text, country text, visitor bytea,
                    product_id bigint, brand_id bigint, lot_id bigint, served text)
                """, logger: logger)
            try await connection.query("TRUNCATE bench_scans", logger: logger)
            try await connection.copyFrom(table: "bench_scans", logger: logger) { writer in
                var copy = ByteBuffer()
                var lines = ""
                for index in 0..<seals {
                    let product = index % products
                    let gtin = Self.gtin(product: product)
                    let serial = Self.serial(index)
                    let ids = idsOfProduct[product]!
                    let key = keys[ids.brand]!
                    let token = SealToken.make(gtin: gtin, serial: serial, key: key)
                    let path = "/01/\(gtin.digits)/10/\(Self.lot)/21/\(serial)?t=\(token)"
                    lines += path + "\n"
                    let prefs = languages[index % languages.count]
                    copy.writeString("\(index + 1)\t\(gtin.digits)\t\(serial)\t\(token)\t\(Self.lot)\t\(prefs)\t\(prefs.dropFirst().prefix(2))\t\(countries[index % countries.count])\t\\\\x\(Self.padded(String(index, radix: 16), to: 32))\t\(ids.product)\t\(ids.brand)\t\(ids.lot)\t\(prefs.dropFirst().prefix(2))\n")
                    if copy.readableBytes > 1 << 20 {
                        try await writer.write(copy)
                        copy.clear()
                        file.write(Data(lines.utf8))
                        lines = ""
                    }
                }
                try await writer.write(copy)
                file.write(Data(lines.utf8))
            }
        }
    }

    /// The scan statement as a pgbench script: a random scan from `bench_scans`,
    /// then exactly the SQL the server prepares, with pgbench variables for its
    /// parameters. With `floor`, the floor statement instead.
    public static func pgbenchScript(seals: Int, floor: Bool = false) -> String {
        var sql = floor ? floorStatementSQL : scanStatementSQL
        // The server checks the token and picks the language before the scan
        // statement runs: here every token is right and every product has all
        // four languages, so `valid` is true and the first preference is served.
        let names = floor
            ? ["gtin", "serial", "token", "lot", "prefs", "requested", "country", "channel", "visitor"]
            : ["product_id", "serial", "valid", "lot_id", "recalled", "brand_id", "gtin", "lot", "country",
               "served", "served", "requested", "channel", "visitor", "session_limit", "session_minutes", "deadline", "expired"]
        for (index, name) in names.enumerated().reversed() {
            sql = sql.replacingOccurrences(of: "$\(index + 1)", with: ":\(name)")
        }
        return """
            \\set n random(1, \(seals))
            SELECT gtin, serial, token, lot, prefs, requested, country, 'qr' AS channel, visitor,
                   product_id, brand_id, lot_id, served, true AS valid, '{}' AS recalled, '{}' AS expired,
                   5 AS session_limit, 30 AS session_minutes, now() + interval '5 s' AS deadline
            FROM bench_scans WHERE n = :n \\gset
            \(sql);

            """
    }

    /// The least a scan must do in the database, with the scan statement's
    /// parameters: count the scan on the seal row found by its unique key and
    /// log one consultation with today's columns into the partitioned table,
    /// returning what the verdict needs. No token check, no language choice,
    /// no texts: the yardstick the scan statement is measured against.
    /// (`$3` token and `$5` preferences are taken and unused, so both
    /// statements run from the same pgbench variables.)
    public static let floorStatementSQL = """
        WITH bump AS (
            UPDATE seals s
            SET scan_count = s.scan_count + 1,
                first_scanned_at = coalesce(s.first_scanned_at, now()),
                first_country = coalesce(s.first_country, $7),
                first_visitor = coalesce(s.first_visitor, $9::bytea),
                last_scanned_at = now()
            FROM products p
            WHERE p.gtin = $1 AND s.product_id = p.id AND s.serial = $2 AND s.status = 'active'
              AND $3::text IS NOT NULL AND $5::text[] IS NOT NULL
            RETURNING s.id, s.brand_id, s.product_id, s.lot_id, s.scan_count, s.first_scanned_at, s.first_country,
                      s.first_visitor = $9::bytea AS first_visitor_again
        ),
        logged AS (
            INSERT INTO consultations (brand_id, product_id, seal_id, lot_id, gtin, serial, lot_scanned, country,
                                       served_language, requested_language, verdict, scan_number, visitor, channel)
            SELECT b.brand_id, b.product_id, b.id, b.lot_id, $1, $2, $4, $7, 'en', $6,
                   CASE WHEN b.scan_count = 1 THEN 'genuine_first' ELSE 'genuine_seen' END, b.scan_count, $9::bytea, $8
            FROM bump b
            RETURNING id
        )
        SELECT b.scan_count, b.first_scanned_at, b.first_country, b.first_visitor_again, (SELECT id FROM logged)
        FROM bump b
        """

    /// The scan statement exactly as the server prepares it.
    public static var scanStatementSQL: String { SignetServer.scanStatementSQL }
}
