import Crypto
import Logging
import PostgresNIO
import SignetCore

/// An image a brand uploads (a product photo, a reward's picture), stored in
/// PostgreSQL under its SHA-256 so every instance serves it, and named by it
/// in its URL so a URL never changes content and may be cached for a year.
enum BrandImage {
    static let pathPrefix = "/media/products/"

    /// Stores the image (once, whoever uploads the same bytes again) and returns its URL.
    static func store(
        brandID: Int64, bytes: [UInt8], format: ImageFormat, on connection: PostgresConnection, logger: Logger
    ) async throws -> String {
        let digest = Array(SHA256.hash(data: bytes))
        try await connection.query("""
            INSERT INTO product_images (sha256, brand_id, media_type, bytes)
            VALUES (\(ByteBuffer(bytes: digest)), \(brandID), \(format.mediaType), \(ByteBuffer(bytes: bytes)))
            ON CONFLICT (sha256) DO NOTHING
            """, logger: logger)
        return pathPrefix + Hex.encode(digest) + "." + format.fileExtension
    }
}
