import Hummingbird
import SignetCore

/// `PUT` and `DELETE /api/v1/products/{gtin}/image` and `/api/v1/rewards/{id}/image`
/// (`setProductImage`, `removeProductImage`, `setRewardImage`,
/// `removeRewardImage` in openapi.yaml): the body is the image itself. Plain
/// routes, because the generated handlers take JSON bodies.
struct APIImageRoute: Sendable {
    let images: ProductImageStore
    let catalogue: CatalogueStore
    let rewards: RewardStore

    func addRoutes(to group: RouterGroup<SignetRequestContext>) {
        group.put("products/:gtin/image", use: putProductImage)
        group.delete("products/:gtin/image", use: deleteProductImage)
        group.put("rewards/:id/image", use: putRewardImage)
        group.delete("rewards/:id/image", use: deleteRewardImage)
    }

    @Sendable func putProductImage(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let (client, gtin) = try await authorizeProduct(context)
        let (bytes, format) = try await Self.image(request)
        return Self.created(try await images.attach(brandID: client.brandID, actor: client.auditActor, gtin: gtin, bytes: bytes, format: format))
    }

    @Sendable func deleteProductImage(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let (client, gtin) = try await authorizeProduct(context)
        try await images.detach(brandID: client.brandID, actor: client.auditActor, gtin: gtin)
        return Response(status: .noContent)
    }

    @Sendable func putRewardImage(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let (client, id) = try await authorizeReward(context)
        let (bytes, format) = try await Self.image(request)
        guard let url = try await rewards.setImage(brandID: client.brandID, id: id, bytes: bytes, format: format, actor: client.auditActor)
        else { throw APIProblem.notFound("No reward \(id).") }
        return Self.created(url)
    }

    @Sendable func deleteRewardImage(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let (client, id) = try await authorizeReward(context)
        guard try await rewards.removeImage(brandID: client.brandID, id: id, actor: client.auditActor) else {
            throw APIProblem.notFound("No reward \(id).")
        }
        return Response(status: .noContent)
    }

    /// The body's bytes, when they are the image the Content-Type says.
    private static func image(_ request: Request) async throws -> ([UInt8], ImageFormat) {
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
        return (bytes, format)
    }

    private static func created(_ url: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"image_url":"\#(url)"}"#)))
    }

    private func authorizeProduct(_ context: SignetRequestContext) async throws -> (APIKeyStore.Client, GTIN) {
        guard let client = context.apiClient else { throw APIProblem.unauthorized("No API key.") }
        guard client.scopes.contains(.productsWrite) else { throw APIProblem.forbidden(scope: APIKeyScope.productsWrite.rawValue) }
        let text = try context.parameters.require("gtin")
        guard let gtin = GTIN(text), try await catalogue.product(brandID: client.brandID, access: client.access, gtin: gtin) != nil else {
            throw APIProblem.notFound("No product with GTIN \(text).")
        }
        return (client, gtin)
    }

    private func authorizeReward(_ context: SignetRequestContext) async throws -> (APIKeyStore.Client, Int64) {
        guard let client = context.apiClient else { throw APIProblem.unauthorized("No API key.") }
        guard client.scopes.contains(.loyaltyWrite) else { throw APIProblem.forbidden(scope: APIKeyScope.loyaltyWrite.rawValue) }
        let text = try context.parameters.require("id")
        guard let id = Int64(text), try await rewards.reward(brandID: client.brandID, id: id) != nil else {
            throw APIProblem.notFound("No reward \(text).")
        }
        return (try APIHandler.requireWholeCatalogue(client), id)
    }
}
