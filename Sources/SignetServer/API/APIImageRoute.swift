import Hummingbird
import SignetCore

/// `PUT` and `DELETE /api/v1/products/{gtin}/image` (`setProductImage`,
/// `removeProductImage` in openapi.yaml): the body is the image itself. Plain
/// routes, because the generated handlers take JSON bodies.
struct APIImageRoute: Sendable {
    let images: ProductImageStore
    let catalogue: CatalogueStore

    func addRoutes(to group: RouterGroup<SignetRequestContext>) {
        group.put("products/:gtin/image", use: put)
        group.delete("products/:gtin/image", use: delete)
    }

    @Sendable func put(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let (client, gtin) = try await authorize(context)
        guard let declared = request.headers[.contentType].flatMap({ ImageFormat(mediaType: $0.lowercased()) }) else {
            throw APIProblem(status: .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
                             detail: "Send the image as image/png, image/jpeg or image/webp.")
        }
        var request = request
        let body = try await request.collectBody(upTo: ImageFormat.maximumBytes)
        let bytes = Array(body.readableBytesView)
        guard let format = ImageFormat(detecting: bytes), format == declared else {
            throw APIProblem(status: .unsupportedMediaType, type: "unsupported-media-type", title: "Not that kind of image",
                             detail: "The bytes are not a \(declared.mediaType) image.")
        }
        let url = try await images.attach(brandID: client.brandID, actor: client.auditActor, gtin: gtin, bytes: bytes, format: format)
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"image_url":"\#(url)"}"#)))
    }

    @Sendable func delete(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let (client, gtin) = try await authorize(context)
        try await images.detach(brandID: client.brandID, actor: client.auditActor, gtin: gtin)
        return Response(status: .noContent)
    }

    private func authorize(_ context: SignetRequestContext) async throws -> (APIKeyStore.Client, GTIN) {
        guard let client = context.apiClient else { throw APIProblem.unauthorized("No API key.") }
        guard client.scopes.contains(.productsWrite) else { throw APIProblem.forbidden(scope: APIKeyScope.productsWrite.rawValue) }
        let text = try context.parameters.require("gtin")
        guard let gtin = GTIN(text), try await catalogue.product(brandID: client.brandID, access: client.access, gtin: gtin) != nil else {
            throw APIProblem.notFound("No product with GTIN \(text).")
        }
        return (client, gtin)
    }
}
