import Foundation
import Logging
import PostgresNIO

/// The brand's consultations, newest first, filtered and paged by
/// (scanned_at, id) so a page boundary never skips or repeats a scan.
struct ConsultationStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Filter: Sendable {
        var from: Date?
        var to: Date?
        var gtin: String?
        var country: String?
        var verdict: String?
        /// Only scans of these products (a narrowed access); nil for all.
        var productIDs: [Int64]?
        /// Only scans before this (scanned_at in microseconds since 1970, id).
        var before: (micros: Int64, id: Int64)?
        var limit: Int?
    }

    struct Consultation: Sendable {
        var id: Int64
        var scannedAtMicros: Int64
        var gtin: String
        var serial: String?
        var lot: String?
        var country: String
        var servedLanguage: String
        var requestedLanguage: String?
        var verdict: String
        var scanNumber: Int?
        var channel: String
        var sealID: Int64?

        var scannedAt: Date { Date(timeIntervalSince1970: Double(scannedAtMicros) / 1_000_000) }

        /// A cursor that continues the list after this row.
        var cursor: (micros: Int64, id: Int64) { (scannedAtMicros, id) }
    }

    func list(brandID: Int64, _ filter: Filter) async throws -> [Consultation] {
        var consultations: [Consultation] = []
        for try await row in try await database.query(Self.query(brandID: brandID, filter), logger: logger).decode(Row.self) {
            consultations.append(Self.consultation(row))
        }
        return consultations
    }

    /// Calls `body` for every matching consultation, streaming from one
    /// cursor: memory does not grow with the period exported.
    func forEach(brandID: Int64, _ filter: Filter, _ body: (Consultation) async throws -> Void) async throws {
        let logger = logger
        try await database.transaction(logger: logger) { connection in
            // A year of scans outlasts the serving pool's statement limit.
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            for try await row in try await connection.query(Self.query(brandID: brandID, filter), logger: logger).decode(Row.self) {
                try await body(Self.consultation(row))
            }
        }
    }

    private typealias Row = (Int64, Int64, String, String?, String?, String, String, String?, String, Int?, String, Int64?)

    private static func consultation(_ row: Row) -> Consultation {
        let (id, micros, gtin, serial, lot, country, served, requested, verdict, number, channel, sealID) = row
        return Consultation(
            id: id, scannedAtMicros: micros, gtin: gtin, serial: serial, lot: lot, country: country, servedLanguage: served,
            requestedLanguage: requested, verdict: verdict, scanNumber: number, channel: channel, sealID: sealID)
    }

    private static func query(brandID: Int64, _ filter: Filter) -> PostgresQuery {
        let beforeMicros = filter.before?.micros
        let beforeID = filter.before?.id
        return """
            SELECT id, (extract(epoch FROM scanned_at) * 1000000)::bigint, gtin, serial, lot_scanned, country,
                   served_language::text, requested_language, verdict, scan_number, channel, seal_id
            FROM consultations
            WHERE brand_id = \(brandID)
              AND (\(filter.from)::timestamptz IS NULL OR scanned_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR scanned_at < \(filter.to))
              AND (\(filter.gtin)::text IS NULL OR gtin = \(filter.gtin))
              AND (\(filter.country)::text IS NULL OR country = \(filter.country))
              AND (\(filter.verdict)::text IS NULL OR verdict = \(filter.verdict))
              AND (\(filter.productIDs)::bigint[] IS NULL OR product_id = ANY(\(filter.productIDs)))
              AND (\(beforeMicros)::bigint IS NULL
                   -- The first bound lets the (brand_id, scanned_at) index do the work; the second is exact.
                   OR (scanned_at <= to_timestamp(\(beforeMicros)::double precision / 1000000) + interval '1 millisecond'
                       AND ((extract(epoch FROM scanned_at) * 1000000)::bigint, id) < (\(beforeMicros), \(beforeID))))
            ORDER BY scanned_at DESC, id DESC
            LIMIT \(filter.limit)
            """
    }
}
