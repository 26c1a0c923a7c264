import Hummingbird
import SignetCore

/// Serves product photos to anyone (`/media/products/{sha256}.{ext}`): the
/// name is the content's digest, so a year of caching is always right.
struct ProductImageController: Sendable {
    let images: ProductImageStore

    func addRoutes(to router: Router<SignetRequestContext>) {
        router.get("media/products/:file", use: serve)
    }

    @Sendable func serve(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let file = try context.parameters.require("file")
        let parts = file.split(separator: ".")
        guard parts.count == 2, let format = ImageFormat(fileExtension: String(parts[1])),
              let image = try await images.image(sha256Hex: String(parts[0])), image.mediaType == format.mediaType
        else { throw PublicError.notFound }
        let etag = "\"\(parts[0])\""
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: [.eTag: etag, .cacheControl: Self.cacheControl])
        }
        return Response(
            status: .ok,
            headers: [.contentType: image.mediaType, .cacheControl: Self.cacheControl, .eTag: etag],
            body: .init(byteBuffer: image.bytes))
    }

    static let cacheControl = "public, max-age=31536000, immutable"
}
