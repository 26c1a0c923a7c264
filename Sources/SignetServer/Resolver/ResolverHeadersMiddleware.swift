import HTTPTypes
import Hummingbird
import SignetCore

/// CORS on every resolver answer, errors included (a till's web app reads them from another origin),
/// and the link to the linkset on error answers about a URI that names a product.
struct ResolverHeadersMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext
    let errorPages: ErrorPageMiddleware
    let root: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await errorPages.handle(request, context: context, next: next)
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = "Link, Location, Content-Language"
        if response.headers[.link] == nil, response.status.code >= 400,
           let link = try? DigitalLinkParser.parse(path: request.uri.path) {
            response.headers[.link] = ResolverController.linksetHeader(root + link.path)
        }
        return response
    }
}
