import Foundation
import Hummingbird
import Logging
import PostgresNIO
import SignetCore

/// Turns every error into a page (or a JSON problem for API clients) in the
/// visitor's language. Unknown errors are logged and become a plain 500: their
/// text may hold internals.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as Redirect {
            return redirect.response
        } catch let error as PublicError {
            return respond(error, request: request)
        } catch let error as RateLimited {
            var response = respond(.rateLimited, request: request)
            response.headers[.retryAfter] = String(error.retryAfterSeconds)
            return response
        } catch let error where isDatabaseUnavailable(error) {
            // The database is unreachable or restarting: a retryable condition, not a bug.
            context.logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return respond(.unavailable, request: request)
        } catch let error as HTTPResponseError {
            if error.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
            }
            return respond(PublicError(status: error.status), request: request)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return respond(.internalError, request: request)
        }
    }

    func respond(_ error: PublicError, request: Request) -> Response {
        let language = LanguagePreferences(request: request).choose(among: Language.allCases, productDefault: nil)
        let strings = renderer.strings(language)
        let title = strings["\(error.messageKey)_title"]
        let detail = strings["\(error.messageKey)_detail"]
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if error == .unavailable { headers[.retryAfter] = "5" }

        if Self.prefersJSON(request) {
            let problem: [String: Any] = ["type": "about:blank", "title": title, "detail": detail, "status": error.status.code]
            let body = (try? JSONSerialization.data(withJSONObject: problem, options: [.sortedKeys])) ?? Data()
            headers[.contentType] = "application/problem+json"
            headers[.contentLanguage] = language.rawValue
            headers[.vary] = "Accept, Accept-Language, Cookie"
            return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return renderer.page("error", language: language, context: [
            "status": error.status.code,
            "title": title,
            "detail": detail,
            "languages": renderer.languageLinks(Language.allCases, current: language, query: request.uri.query),
        ], status: error.status, extraHeaders: headers)
    }

    static func prefersJSON(_ request: Request) -> Bool {
        let accept = request.headers[.accept] ?? ""
        return accept.contains("json") && !accept.contains("text/html")
    }
}
