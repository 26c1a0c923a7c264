import Logging
import PostgresNIO
import SignetCore

/// Product photos (see `BrandImage`), and serving any brand image.
struct ProductImageStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    /// Stores the image and points the product at it; returns the new URL.
    func attach(
        brandID: Int64, actor: AuditActor, gtin: GTIN, bytes: [UInt8], format: ImageFormat
    ) async throws -> String {
        try await database.transaction(logger: logger) { connection in
            let url = try await BrandImage.store(brandID: brandID, bytes: bytes, format: format, on: connection, logger: logger)
            let rows = try await connection.query("""
                UPDATE products SET image_url = \(url), updated_at = clock_timestamp()
                WHERE brand_id = \(brandID) AND gtin = \(gtin.digits)
                RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { throw CatalogueError.productNotFound }
            try await AuditLog.record(
                "product.set_image", subject: "product:\(gtin.digits)", details: ["image": url, "bytes": String(bytes.count)],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return url
        }
    }

    func detach(brandID: Int64, actor: AuditActor, gtin: GTIN) async throws {
        try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                UPDATE products SET image_url = NULL, updated_at = clock_timestamp()
                WHERE brand_id = \(brandID) AND gtin = \(gtin.digits)
                RETURNING id
                """, logger: logger).collect()
            guard !rows.isEmpty else { throw CatalogueError.productNotFound }
            try await AuditLog.record(
                "product.remove_image", subject: "product:\(gtin.digits)", brandID: brandID, actor: actor, on: connection, logger: logger)
        }
    }

    /// The stored image named `sha256Hex`, with its media type.
    func image(sha256Hex: String) async throws -> (mediaType: String, bytes: ByteBuffer)? {
        guard sha256Hex.count == 64, let digest = Hex.decode(sha256Hex) else { return nil }
        let rows = try await database.query(
            "SELECT media_type, bytes FROM product_images WHERE sha256 = \(ByteBuffer(bytes: digest))", logger: logger
        ).collect()
        return try rows.first?.decode((String, ByteBuffer).self)
    }
}
