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
        /// Only scans before this (scanned_at in microseconds since 1970, id).
        var before: (micros: Int64, id: Int64)?
        var limit: Int
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

        var scannedAt: Date { Date(timeIntervalSince1970: Double(scannedAtMicros) / 1_000_000) }
    }

    func list(brandID: Int64, _ filter: Filter) async throws -> [Consultation] {
        let beforeMicros = filter.before?.micros
        let beforeID = filter.before?.id
        let rows = try await database.query("""
            SELECT id, (extract(epoch FROM scanned_at) * 1000000)::bigint, gtin, serial, lot_scanned, country,
                   served_language::text, requested_language, verdict, scan_number, channel
            FROM consultations
            WHERE brand_id = \(brandID)
              AND (\(filter.from)::timestamptz IS NULL OR scanned_at >= \(filter.from))
              AND (\(filter.to)::timestamptz IS NULL OR scanned_at < \(filter.to))
              AND (\(filter.gtin)::text IS NULL OR gtin = \(filter.gtin))
              AND (\(filter.country)::text IS NULL OR country = \(filter.country))
              AND (\(filter.verdict)::text IS NULL OR verdict = \(filter.verdict))
              AND (\(beforeMicros)::bigint IS NULL
                   -- The first bound lets the (brand_id, scanned_at) index do the work; the second is exact.
                   OR (scanned_at <= to_timestamp(\(beforeMicros)::double precision / 1000000) + interval '1 millisecond'
                       AND ((extract(epoch FROM scanned_at) * 1000000)::bigint, id) < (\(beforeMicros), \(beforeID))))
            ORDER BY scanned_at DESC, id DESC
            LIMIT \(filter.limit)
            """, logger: logger)
        var consultations: [Consultation] = []
        for try await (id, micros, gtin, serial, lot, country, served, requested, verdict, number, channel)
            in rows.decode((Int64, Int64, String, String?, String?, String, String, String?, String, Int?, String).self) {
            consultations.append(Consultation(
                id: id, scannedAtMicros: micros, gtin: gtin, serial: serial, lot: lot, country: country,
                servedLanguage: served, requestedLanguage: requested, verdict: verdict, scanNumber: number, channel: channel))
        }
        return consultations
    }
}
