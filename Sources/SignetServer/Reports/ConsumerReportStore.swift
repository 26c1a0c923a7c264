import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Consumer reports and the `consumer_report` alert each one raises, written
/// in one transaction.
struct ConsumerReportStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    /// The scan a report is about.
    struct Consultation: Sendable {
        var id: Int64
        var brandID: Int64
        var scannedAt: Date
        var gtin: String
        var serial: String?
        var verdict: String
    }

    struct Report: Sendable {
        enum Place: String, CaseIterable, Sendable {
            case shop, website, other
        }

        var place: Place
        var seller: String
        var message: String
        var photo: (bytes: ByteBuffer, format: ImageFormat)?
        var language: Language
    }

    enum Problem: Error {
        case alreadyReported
    }

    /// A consultation of a brand's product (a scan of an unknown GTIN has nobody to report to).
    func consultation(id: Int64) async throws -> Consultation? {
        let rows = try await database.query("""
            SELECT id, brand_id, scanned_at, gtin, serial, verdict FROM consultations WHERE id = \(id) AND brand_id IS NOT NULL
            """, logger: logger).collect()
        guard let (id, brand, at, gtin, serial, verdict) = try rows.first?.decode((Int64, Int64, Date, String, String?, String).self)
        else { return nil }
        return Consultation(id: id, brandID: brand, scannedAt: at, gtin: gtin, serial: serial, verdict: verdict)
    }

    /// Saves the report and raises its alert.
    /// - Throws: `Problem.alreadyReported` for a second report of one consultation.
    func save(_ report: Report, about consultation: Consultation) async throws {
        let photoType = report.photo?.format.mediaType
        do {
            try await database.transaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    INSERT INTO consumer_reports (brand_id, consultation_id, scanned_at, gtin, serial, purchase_place, seller, message,
                                                  photo, photo_type, language)
                    VALUES (\(consultation.brandID), \(consultation.id), \(consultation.scannedAt), \(consultation.gtin),
                            \(consultation.serial), \(report.place.rawValue), \(report.seller), \(report.message),
                            \(report.photo?.bytes), \(photoType), \(report.language.rawValue)::signet_language)
                    RETURNING id
                    """, logger: logger).collect()
                let reportID = try rows[0].decode(Int64.self)
                let detail = try String(decoding: JSONEncoder().encode([
                    "report_id": String(reportID), "purchase_place": report.place.rawValue, "seller": report.seller,
                    "photo": report.photo == nil ? "no" : "yes",
                ]), as: UTF8.self)
                try await connection.query("""
                    INSERT INTO alerts (brand_id, type, consultation_id, scanned_at, product_id, seal_id, lot_id, gtin, serial,
                                        lot, country, language, verdict, detail)
                    SELECT c.brand_id, 'consumer_report', c.id, c.scanned_at, c.product_id, c.seal_id, c.lot_id, c.gtin, c.serial,
                           coalesce(l.code, c.lot_scanned), c.country, c.served_language, c.verdict, \(detail)::jsonb
                    FROM consultations c LEFT JOIN lots l ON l.id = c.lot_id
                    WHERE c.id = \(consultation.id) AND c.scanned_at = \(consultation.scannedAt)
                    """, logger: logger)
            }
        } catch let error as PSQLError where error.violatedUniqueConstraint != nil {
            throw Problem.alreadyReported
        }
    }
}
