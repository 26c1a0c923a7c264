import Hummingbird
import SignetCore

/// Authenticates `Authorization: Bearer sgk_…` for every API route, bounds
/// the request body, and binds the client for the handlers.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext
    static let maximumBodyBytes = 1 << 20

    /// JSON bodies get 1 MiB; a product image its own 2 MB.
    static func maximumBodyBytes(path: String) -> Int {
        path.hasSuffix("/image") ? ImageFormat.maximumBytes : maximumBodyBytes
    }
    let keys: APIKeyStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIProblem.unauthorized("Send Authorization: Bearer followed by an API key.")
        }
        guard let key = APIKeyFormat.bearerKey(fromAuthorization: header), let client = try await keys.authenticate(key: key) else {
            throw APIProblem.unauthorized("The API key is unknown, revoked or expired.")
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
