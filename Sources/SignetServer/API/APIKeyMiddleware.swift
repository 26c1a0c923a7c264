import Hummingbird
import SignetCore

/// Authenticates `Authorization: Bearer sgk_…` for every API and EPCIS route, bounds
/// the request body, and binds the client for the handlers.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext
    static let maximumBodyBytes = 1 << 20

    /// JSON bodies get 1 MiB; a product image its own 2 MB; an EPCIS document 32 MiB.
    static func maximumBodyBytes(path: String) -> Int {
        if path.hasSuffix("/image") { return ImageFormat.maximumBytes }
        if path.hasPrefix("/epcis/capture") { return EPCISController.maximumDocumentBytes }
        return maximumBodyBytes
    }
    let keys: APIKeyStore
    /// Calls per key and minute.
    let rateLimit: RateLimit<Int64>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIProblem.unauthorized("Send Authorization: Bearer followed by an API key.")
        }
        guard let key = APIKeyFormat.bearerKey(fromAuthorization: header), let client = try await keys.authenticate(key: key) else {
            throw APIProblem.unauthorized("The API key is unknown, revoked or expired.")
        }
        do {
            try rateLimit.check(client.keyID)
        } catch {
            throw APIProblem(
                status: .tooManyRequests, type: "rate-limited", title: "Too many requests",
                detail: "This key made more calls this minute than it may; retry after \(error.retryAfterSeconds) s.",
                retryAfterSeconds: error.retryAfterSeconds)
        }
        var request = request
        // Read the body here, so an oversized one is refused before any work.
        _ = try await request.collectBody(upTo: Self.maximumBodyBytes(path: request.uri.path))
        var context = context
        context.apiClient = client
        return try await APIClientScope.$client.withValue(client) {
            try await next(request, context)
        }
    }
}
