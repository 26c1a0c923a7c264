import HTTPTypes
import Hummingbird

/// `format=csv` or `format=json` (on `GET /api/v1/stats`) wins over
/// `Accept`: the generated code refuses to send a content type the request's
/// `Accept` does not list, so the parameter is written into `Accept` before
/// it runs. A browser link or a spreadsheet's "from web" then gets CSV
/// whatever it sends.
struct APIFormatParameterMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, let format = request.uri.queryParameters["format"] else {
            return try await next(request, context)
        }
        var head = request.head
        switch format {
        case "csv": head.headerFields[.accept] = "text/csv"
        case "json": head.headerFields[.accept] = "application/json"
        default: return try await next(request, context)
        }
        return try await next(Request(head: head, body: request.body), context)
    }
}
