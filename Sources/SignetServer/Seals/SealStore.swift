import Logging
import PostgresNIO
import SignetCore

/// Single seals for the portal: finding one by serial, and its history.
struct SealStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Seal: Sendable {
        var id: Int64
        var gtin: String
        var productName: String
        var serial: String
        var lotCode: String?
        var status: String
        var batchID: Int64?
        var scanCount: Int
        var firstScannedAt: String?
        var firstCountry: String?
        var lastScannedAt: String?
    }

    struct Consultation: Sendable {
        var scannedAt: String
        var country: String
        var language: String
        var verdict: String
        /// `qr` or `nfc`.
        var channel: String
        /// The read counter an NFC tap carried.
        var tapCounter: Int?
    }

    /// Seals of the brand with this serial (one per product at most).
    func find(brandID: Int64, access: ProductAccess, serial: String, language: Language) async throws -> [Seal] {
        try await seals(brandID: brandID, access: access, id: nil, serial: serial, language: language)
    }

    func seal(brandID: Int64, access: ProductAccess, id: Int64, language: Language) async throws -> Seal? {
        try await seals(brandID: brandID, access: access, id: id, serial: nil, language: language).first
    }

    private func seals(brandID: Int64, access: ProductAccess, id: Int64?, serial: String?, language: Language) async throws -> [Seal] {
        let rows = try await database.query("""
            SELECT s.id, p.gtin,
                   coalesce((SELECT t.name FROM product_translations t WHERE t.product_id = p.id
                             ORDER BY t.language = \(language.rawValue) DESC, t.language = p.default_language DESC LIMIT 1), p.gtin),
                   s.serial, l.code, s.status, s.batch_id, s.scan_count,
                   to_char(s.first_scanned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), s.first_country,
                   to_char(s.last_scanned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
            FROM seals s JOIN products p ON p.id = s.product_id LEFT JOIN lots l ON l.id = s.lot_id
            WHERE s.brand_id = \(brandID)
              AND (\(id)::bigint IS NULL OR s.id = \(id))
              AND (\(serial)::text IS NULL OR s.serial = \(serial))
              AND (\(access.productIDs)::bigint[] IS NULL OR p.id = ANY(\(access.productIDs)))
            ORDER BY p.gtin
            LIMIT 50
            """, logger: logger)
        var seals: [Seal] = []
        for try await (id, gtin, name, serial, lot, status, batch, count, first, country, last)
            in rows.decode((Int64, String, String, String, String?, String, Int64?, Int, String?, String?, String?).self) {
            seals.append(Seal(
                id: id, gtin: gtin, productName: name, serial: serial, lotCode: lot, status: status, batchID: batch,
                scanCount: count, firstScannedAt: first, firstCountry: country, lastScannedAt: last))
        }
        return seals
    }

    /// Every consultation of the seal, newest first (the latest 500).
    func consultations(brandID: Int64, sealID: Int64) async throws -> [Consultation] {
        let rows = try await database.query("""
            SELECT to_char(scanned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), country, served_language::text, verdict,
                   channel, tap_counter
            FROM consultations
            WHERE seal_id = \(sealID) AND brand_id = \(brandID)
            ORDER BY scanned_at DESC, id DESC
            LIMIT 500
            """, logger: logger)
        var consultations: [Consultation] = []
        for try await (at, country, language, verdict, channel, counter)
            in rows.decode((String, String, String, String, String, Int32?).self)
        {
            consultations.append(Consultation(
                scannedAt: at, country: country, language: language, verdict: verdict, channel: channel, tapCounter: counter.map(Int.init)))
        }
        return consultations
    }
}
