import Hummingbird
import Logging
import PostgresNIO
import SignetCore

/// Streams a brand's seals as `gtin,lot,serial,url,check_code` for label printers.
public struct SealExporter: Sendable {
    let database: PostgresClient
    let logger: Logger
    let publicURL: String

    public init(database: PostgresClient, logger: Logger, publicURL: String) {
        self.database = database
        self.logger = logger
        self.publicURL = publicURL
    }

    public struct Seal: Sendable {
        public var gtin: GTIN
        public var lot: String?
        public var serial: String
        public var status: SealStatus
        public var url: String
        /// Printed beside the serial, for a consumer whose QR code is damaged (`7K3M-Q9XD`).
        public var checkCode: String
    }

    /// Calls `body` for each seal of the brand (or of one of its batches) in
    /// GTIN, serial order, streaming: memory does not grow with the batch.
    public func forEachSeal(
        brandSlug: String, batchID: Int64? = nil, _ body: (Seal) async throws -> Void
    ) async throws {
        let keyRows = try await database.query("SELECT seal_key FROM brands WHERE slug = \(brandSlug)", logger: logger).collect()
        guard let keyBytes = try keyRows.first?.decode(ByteBuffer.self) else { throw SealExportError.unknownBrand(brandSlug) }
        let key = Array(keyBytes.readableBytesView)
        let publicURL = publicURL
        let logger = logger
        try await database.transaction(logger: logger) { connection in
            // Streaming a million rows outlasts the serving pool's 5 s statement limit.
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            let rows = try await connection.query("""
                SELECT p.gtin, l.code, s.serial, s.status
                FROM seals s
                JOIN products p ON p.id = s.product_id
                JOIN brands b ON b.id = s.brand_id
                LEFT JOIN lots l ON l.id = s.lot_id
                WHERE b.slug = \(brandSlug) AND (\(batchID)::bigint IS NULL OR s.batch_id = \(batchID))
                ORDER BY p.gtin, s.serial
                """, logger: logger)
            for try await (gtinText, lot, serial, statusText) in rows.decode((String, String?, String, String).self) {
                guard let gtin = GTIN(gtinText), let status = SealStatus(rawValue: statusText) else {
                    // The schema forbids this; a label printed from it could never scan.
                    throw SealExportError.invalidSeal(gtin: gtinText, serial: serial)
                }
                try await body(Seal(
                    gtin: gtin, lot: lot, serial: serial, status: status,
                    url: SealURL.make(origin: publicURL, gtin: gtin, lot: lot, serial: serial, key: key),
                    checkCode: SealCheckCode.display(SealCheckCode.make(gtin: gtin, serial: serial, key: key))))
            }
        }
    }
}

extension SealExporter {
    /// A streamed CSV download (`gtin,lot,serial,url,check_code`) of a brand's batch, in 64 KiB writes.
    func csvResponse(brandSlug: String, batchID: Int64, filename: String, logger: Logger) -> Response {
        let body = ResponseBody { writer in
            var buffer = ByteBuffer(string: CSVRecord.line(["gtin", "lot", "serial", "url", "check_code"]) + "\n")
            do {
                try await forEachSeal(brandSlug: brandSlug, batchID: batchID) { seal in
                    buffer.writeString(CSVRecord.line([seal.gtin.digits, seal.lot ?? "", seal.serial, seal.url, seal.checkCode]) + "\n")
                    if buffer.readableBytes >= 1 << 16 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
            } catch {
                // The status line is gone; ending the body early is the only signal left.
                logger.error("seal export stopped", metadata: ["batch": "\(batchID)", "error": "\(String(reflecting: error))"])
                throw error
            }
            try await writer.write(buffer)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"\(filename)\"",
            .cacheControl: "no-store",
        ], body: body)
    }
}

public enum SealExportError: Error, CustomStringConvertible {
    case unknownBrand(String)
    case invalidSeal(gtin: String, serial: String)

    public var description: String {
        switch self {
        case .unknownBrand(let slug): "no brand with slug \(slug)"
        case .invalidSeal(let gtin, let serial): "seal \(serial) of GTIN \(gtin) cannot be printed: invalid GTIN or status"
        }
    }
}
