import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Reads the rollups: sums of consultations and merged sketches of distinct
/// seals, by bucket and by the dimensions asked, from the daily or pair
/// rollups when they can answer (`StatisticsQuery.rollup`; the hourly rows
/// for the hours of a period's cut first and last days), from the hourly
/// ones otherwise; all give the same answer, bit for bit. Every question is
/// filtered on the brand and on the reader's product access. The SQL is
/// assembled from fixed fragments chosen by enum; every value is a bound
/// parameter.
struct StatisticsStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Row: Sendable, Equatable {
        /// Start of the bucket.
        var bucket: Date
        /// One value per dimension of the question's `groupBy`, in its order
        /// (country code, language, product type code or "" for none, GTIN, verdict).
        var groups: [String]
        var consultations: Int
        var uniqueSeals: Int
    }

    /// The column each dimension reads, from `stats_hourly s`, `stats_daily s`
    /// (whose one dimension is in `s.value`), the derived rows' `s.first` and
    /// `s.second`, `products p`, `product_types pt`.
    static func column(_ dimension: StatisticsQuery.Dimension, in rollup: StatisticsQuery.Rollup) -> String {
        switch dimension {
        case .product: return "p.gtin"
        case .productType: return "coalesce(pt.code, '')"
        case .country, .language, .verdict:
            switch rollup {
            case .hourly: return "s.\(dimension.rawValue)"
            case .daily: return "s.value"
            case .pairs(let first, _): return first == dimension ? "s.first" : "s.second"
            case .single, .byHour: return "s.first"
            }
        }
    }

    /// The products and their types, joined on the rollup column holding a product id.
    private static func products(on column: String) -> String {
        """
        JOIN products p ON p.id = \(column)::bigint
        LEFT JOIN product_types pt ON pt.id = p.product_type_id
        """
    }

    /// The rollup rows a question reads (`s`, with `s.brand_id` and the
    /// column its time is in), with the products they count.
    /// - Parameter bind: binds a value and names its parameter.
    private static func source(
        _ rollup: StatisticsQuery.Rollup, _ question: StatisticsQuery, brandID: Int64,
        bind: (any PostgresEncodable & Sendable) throws -> String
    ) throws -> (table: String, time: String) {
        switch rollup {
        case .hourly:
            return ("stats_hourly s\n" + products(on: "s.product_id"), "s.hour")
        case .daily(let dimension):
            let table = try dailyRows(dimension, question, brandID: brandID, bind: bind)
            // Product rows hold product ids only, so the cast always holds.
            if dimension == .product || dimension == .productType { return (table + products(on: "s.value"), "s.time") }
            return (table, "s.time")
        case .pairs(let first, let second):
            let table = try derivedRows([first, second], question, brandID: brandID, bind: bind)
            if first == .product { return (table + products(on: "s.first"), "s.time") }
            if second == .product { return (table + products(on: "s.second"), "s.time") }
            return (table, "s.time")
        case .single(let dimension):
            let table = try derivedRows(dimension.map { [$0] } ?? [], question, brandID: brandID, bind: bind)
            return (dimension == .product ? table + products(on: "s.first") : table, "s.time")
        case .byHour(let dimension):
            let (brand, from, to) = try (bind(brandID), bind(question.from), bind(question.to))
            let table = try "(\n" + hours([("date_trunc('hour', \(from), 'UTC')", to)], of: dimension.map { [$0] } ?? [],
                                          brand: brand, bind: bind) + "\n) s\n"
            return (dimension == .product ? table + products(on: "s.first") : table, "s.time")
        }
    }

    /// The daily rows of one dimension (nil: the days' totals) for the whole
    /// UTC days of the question, and that dimension's rows by hour for the
    /// hours before and after them, in the daily rows' shape.
    private static func dailyRows(
        _ dimension: StatisticsQuery.Dimension?, _ question: StatisticsQuery, brandID: Int64,
        bind: (any PostgresEncodable & Sendable) throws -> String
    ) throws -> String {
        let dimensions = dimension.map { [$0 == .productType ? .product : $0] } ?? []
        let brand = try bind(brandID)
        let (dayFrom, dayTo) = try (bind(question.wholeDays.from), bind(question.wholeDays.to))
        return try """
            (
            SELECT d.brand_id, d.day AS time, d.value, d.consultations, d.seals FROM stats_daily d
            WHERE d.brand_id = \(brand) AND d.dimension = \(bind(rowsName(dimensions))) AND d.day >= \(dayFrom) AND d.day < \(dayTo)
            UNION ALL
            \(hours(edges(question, dayFrom: dayFrom, dayTo: dayTo, bind: bind), of: dimensions, brand: brand, shape: .daily, bind: bind))
            ) s

            """
    }

    /// The name of the rows of these dimensions in `stats_daily` and `stats_pairs`.
    private static func rowsName(_ dimensions: [StatisticsQuery.Dimension]) -> String {
        dimensions.isEmpty ? "all" : dimensions.map(\.rawValue).joined(separator: ",")
    }

    /// The hours of a period before and after its whole days (`dayFrom`, `dayTo`: bound parameters), as SQL bounds.
    private static func edges(
        _ question: StatisticsQuery, dayFrom: String, dayTo: String, bind: (any PostgresEncodable & Sendable) throws -> String
    ) throws -> [(String, String)] {
        let (from, to) = try (bind(question.from), bind(question.to))
        return [("date_trunc('hour', \(from), 'UTC')", "least(\(dayFrom), \(to))"), ("greatest(\(dayTo), \(dayFrom))", to)]
    }

    /// The shape of the rows a source gives: `stats_daily`'s one `value`, or `stats_pairs`' `first` and `second`.
    private enum Shape {
        case daily, pairs
    }

    /// The rows by UTC hour of the dimensions asked, for each range of hours
    /// (SQL bounds): of one dimension or none, that dimension's rows by hour
    /// (`stats_pairs`, derived in UTC) as far as they are derived, and the
    /// hourly rows after them; of two, the hourly rows. The time column is
    /// `time`; the values are in the shape asked.
    private static func hours(
        _ ranges: [(String, String)], of dimensions: [StatisticsQuery.Dimension], brand: String, shape: Shape = .pairs,
        bind: (any PostgresEncodable & Sendable) throws -> String
    ) throws -> String {
        let hourlyValues = dimensions.map { $0 == .product ? "h.product_id::text" : "h.\($0.rawValue)" } + ["''", "''"]
        let columns = hourlyValues.prefix(shape == .daily ? 1 : 2).joined(separator: ", ")
        func hourly(from lower: String, to upper: String) -> String {
            """
            SELECT h.brand_id, h.hour AS time, \(columns), h.consultations, h.seals FROM stats_hourly h
            WHERE h.brand_id = \(brand) AND h.hour >= \(lower) AND h.hour < \(upper)
            """
        }
        guard dimensions.count < 2 else { return ranges.map { hourly(from: $0, to: $1) }.joined(separator: "\nUNION ALL\n") }
        let derivedUntil = """
            coalesce((SELECT derived_until FROM stats_pair_progress WHERE brand_id = \(brand) AND zone = 'UTC'), '-infinity')
            """
        let name = try bind(rowsName(dimensions))
        return ranges.flatMap { lower, upper in
            [
                """
                SELECT e.brand_id, e.start AS time, \(shape == .daily ? "e.first" : "e.first, e.second"), e.consultations, e.seals
                FROM stats_pairs e
                WHERE e.brand_id = \(brand) AND e.zone = 'UTC' AND e.dimensions = \(name) AND e.period = 'hour'
                  AND e.start >= \(lower) AND e.start < least(\(upper), \(derivedUntil))
                """,
                hourly(from: "greatest(\(lower), \(derivedUntil))", to: upper),
            ]
        }.joined(separator: "\nUNION ALL\n")
    }

    /// The derived rows (`stats_pairs`) of the dimensions asked (two, one, or
    /// none: the totals) of a question in its `rollupZone`, each part read by an
    /// index range: for week or month buckets, the rows of the whole buckets
    /// inside the period's whole days that were derived, and the day rows
    /// before and after them (a bucket cut by the period, the days of the
    /// week or month under way); the day rows of everything derived for day
    /// buckets; and the rows by hour (`hours`) of its whole days from the
    /// brand's first hour not derived yet in that zone (the hour or two under
    /// way, or the whole period in a zone nothing is derived in), and of the
    /// hours before and after its whole days.
    private static func derivedRows(
        _ dimensions: [StatisticsQuery.Dimension], _ question: StatisticsQuery, brandID: Int64,
        bind: (any PostgresEncodable & Sendable) throws -> String
    ) throws -> String {
        let (brand, zone) = try (bind(brandID), bind(question.rollupZone))
        let derivedUntil = """
            coalesce((SELECT derived_until FROM stats_pair_progress WHERE brand_id = \(brand) AND zone = \(zone)), '-infinity')
            """
        let (dayFrom, dayTo) = try (bind(question.wholeDays.from), bind(question.wholeDays.to))
        let derivedEnd = "least(\(dayTo)::timestamptz, \(derivedUntil))"
        let rows = try """
            SELECT s.brand_id, s.start AS time, s.first, s.second, s.consultations, s.seals FROM stats_pairs s
            WHERE s.brand_id = \(brand) AND s.zone = \(zone) AND s.dimensions = \(bind(rowsName(dimensions)))
            """
        var parts: [String]
        if question.interval == .day {
            parts = ["\(rows) AND s.period = 'day' AND s.start >= \(dayFrom) AND s.start < \(derivedEnd)"]
        } else {
            let interval = try bind(question.interval.rawValue)
            let wholeFrom = """
                (CASE WHEN date_trunc(\(interval), \(dayFrom), \(zone)) = \(dayFrom) THEN \(dayFrom)::timestamptz
                      ELSE signet_period_end(\(interval), date_trunc(\(interval), \(dayFrom), \(zone)), \(zone)) END)
                """
            let wholeUntil = "date_trunc(\(interval), \(derivedEnd), \(zone))"
            parts = [
                "\(rows) AND s.period = \(interval) AND s.start >= \(wholeFrom) AND s.start < \(wholeUntil)",
                "\(rows) AND s.period = 'day' AND s.start >= \(dayFrom) AND s.start < least(\(wholeFrom), \(derivedEnd))",
                "\(rows) AND s.period = 'day' AND s.start >= greatest(\(wholeUntil), \(wholeFrom)) AND s.start < \(derivedEnd)",
            ]
        }
        let underived = ("greatest(\(derivedUntil), \(dayFrom))", dayTo)
        try parts.append(hours([underived] + edges(question, dayFrom: dayFrom, dayTo: dayTo, bind: bind), of: dimensions,
                               brand: brand, bind: bind))
        return "(\n\(parts.joined(separator: "\nUNION ALL\n"))\n) s\n"
    }

    /// Buckets of the question, oldest first, then by the groups in order.
    /// - Parameter productIDs: the reader's products (nil: every product).
    /// - Parameter bucketed: false sums the whole period into one bucket starting at `from`.
    /// - Parameter rollup: the rollups to read; by default the smallest that can answer.
    func series(
        brandID: Int64, _ question: StatisticsQuery, productIDs: [Int64]?, bucketed: Bool = true, rollup: StatisticsQuery.Rollup? = nil
    ) async throws -> [Row] {
        let rollup = rollup ?? question.rollup(productsRestricted: productIDs != nil)
        var binds = PostgresBindings()
        func bind(_ value: some PostgresEncodable) throws -> String {
            try binds.append(value)
            return "$\(binds.count)"
        }
        let (table, time) = try Self.source(rollup, question, brandID: brandID) { try bind($0) }
        let bucket = try bucketed
            ? "date_trunc(\(bind(question.interval.rawValue)), \(time), \(bind(question.timeZone)))"
            : "\(bind(question.from))::timestamptz"
        var conditions = try [
            "s.brand_id = \(bind(brandID))",
            "\(time) >= date_trunc('hour', \(bind(question.from)), 'UTC')",
            "\(time) < \(bind(question.to))",
        ]
        if let productIDs {
            let product = rollup == .hourly ? "s.product_id" : "p.id"
            try conditions.append("\(product) = ANY (\(bind(productIDs)))")
        }
        for (dimension, values) in question.filters.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try conditions.append("\(Self.column(dimension, in: rollup)) = ANY (\(bind(values)))")
        }
        // The groups are columns after the sums: grouping and sorting by columns is cheaper than by an array.
        let groups = question.groupBy.map { ", " + Self.column($0, in: rollup) + "::text" }.joined()
        let keys = (1...(question.groupBy.count + 1)).map(String.init).joined(separator: ", ")
        let sql = """
            SELECT \(bucket) AS bucket\(groups), sum(s.consultations)::bigint, substring(varbit_send(bit_or(s.seals)) FROM 5)
            FROM \(table)
            WHERE \(conditions.joined(separator: " AND "))
            GROUP BY \(keys)
            ORDER BY \(keys)
            """
        var rows: [Row] = []
        let sequence = try await database.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        let sums = question.groupBy.count + 1
        for try await row in sequence {
            let cells = row.makeRandomAccess()
            try rows.append(Row(
                bucket: cells[0].decode(Date.self),
                groups: (1..<sums).map { try cells[$0].decode(String.self) },
                consultations: Int(cells[sums].decode(Int64.self)),
                uniqueSeals: Self.estimate(cells[sums + 1].decode(ByteBuffer.self))))
        }
        return rows
    }

    /// The estimate of a merged sketch as PostgreSQL sends it.
    static func estimate(_ bits: ByteBuffer) -> Int {
        bits.withUnsafeReadableBytes { HyperLogLog.estimate(ofStored: $0) } ?? 0
    }
}

extension StatisticsStore {
    struct SuspiciousSeal: Sendable, Equatable {
        var sealID: Int64
        var gtin: String
        var serial: String
        var scans: Int
    }

    /// The seals with the most scans judged suspicious or counterfeit in the
    /// period (a bad token on a real serial names its seal), under the
    /// question's filters. Read from the consultations themselves: rollups
    /// keep no seal ids. The brand's index on (brand_id, scanned_at) bounds it.
    func suspiciousSeals(brandID: Int64, _ question: StatisticsQuery, productIDs: [Int64]?, limit: Int = 10) async throws -> [SuspiciousSeal] {
        let filters = question.filters
        let rows = try await database.query("""
            SELECT c.seal_id, c.gtin, c.serial, count(*)::bigint
            FROM consultations c
            JOIN products p ON p.id = c.product_id
            LEFT JOIN product_types pt ON pt.id = p.product_type_id
            WHERE c.brand_id = \(brandID) AND c.scanned_at >= \(question.from) AND c.scanned_at < \(question.to)
              AND c.seal_id IS NOT NULL AND c.serial IS NOT NULL AND c.verdict IN ('suspicious', 'counterfeit')
              AND (\(productIDs)::bigint[] IS NULL OR c.product_id = ANY (\(productIDs)))
              AND (\(filters[.country])::text[] IS NULL OR c.country = ANY (\(filters[.country])))
              AND (\(filters[.language])::text[] IS NULL OR c.served_language::text = ANY (\(filters[.language])))
              AND (\(filters[.verdict])::text[] IS NULL OR c.verdict = ANY (\(filters[.verdict])))
              AND (\(filters[.product])::text[] IS NULL OR c.gtin = ANY (\(filters[.product])))
              AND (\(filters[.productType])::text[] IS NULL OR pt.code = ANY (\(filters[.productType])))
            GROUP BY c.seal_id, c.gtin, c.serial
            ORDER BY 4 DESC, c.seal_id
            LIMIT \(limit)
            """, logger: logger)
        var seals: [SuspiciousSeal] = []
        for try await (id, gtin, serial, scans) in rows.decode((Int64, String, String, Int64).self) {
            seals.append(SuspiciousSeal(sealID: id, gtin: gtin, serial: serial, scans: Int(scans)))
        }
        return seals
    }
}

extension StatisticsStore {
    /// The zone the brand reports in: its dashboard's days, and a zone its pair rollups are derived in.
    func timeZone(brandID: Int64) async throws -> String {
        let rows = try await database.query("SELECT statistics_time_zone FROM brands WHERE id = \(brandID)", logger: logger).collect()
        return try rows.first?.decode(String.self) ?? "UTC"
    }

    /// Consultations the brand's rollups hold for the last two UTC hours: it
    /// changes when the statistics consumer has counted new scans, which is
    /// when the dashboard's live feed asks browsers to refresh. An index range
    /// of the primary key, cheap enough to poll every few seconds per open page.
    func recentCount(brandID: Int64) async throws -> Int64 {
        let rows = try await database.query("""
            SELECT coalesce(sum(consultations), 0)::bigint FROM stats_hourly
            WHERE brand_id = \(brandID) AND hour >= date_trunc('hour', now() - interval '1 hour', 'UTC')
            """, logger: logger).collect()
        return try rows.first?.decode(Int64.self) ?? 0
    }
}
