import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import PostgresNIO
import SignetCore

/// Turns every error under `/api/v1` into a problem document (and restores
/// two headers the generated code encodes): the handlers'
/// own `APIProblem`s, the generated code's decoding failures (bad JSON, a
/// missing or unknown field: 400), body limits (413) and database outages (503).
/// Anything else is logged and answered as a bare 500.
struct APIProblemMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            // The generated code writes header values URI-encoded ("%2Fapi%2Fv1…",
            // "%22v1%22"); Location and ETag must reach clients as they are.
            for name in [HTTPField.Name.location, .eTag] {
                if let value = response.headers[name], value.contains("%"), let decoded = value.removingPercentEncoding {
                    response.headers[name] = decoded
                }
            }
            return response
        } catch {
            return problem(for: error, context: context).response
        }
    }

    func problem(for error: any Error, context: Context) -> APIProblem {
        switch error {
        case let problem as APIProblem:
            return problem
        case let error as ServerError:
            if let problem = error.underlyingError as? APIProblem { return problem }
            if error.operationInput == nil {
                // The request could not be decoded into the operation's input.
                return .badRequest("The request does not match the API description: \(error.causeDescription) \(Self.describe(error.underlyingError))")
            }
            return problem(for: error.underlyingError, context: context)
        case let error where isDatabaseUnavailable(error):
            context.logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            var problem = APIProblem(status: .serviceUnavailable, type: "unavailable", title: "Try again shortly")
            problem.detail = "The database is not answering."
            return problem
        case let error as HTTPResponseError where error.status == .contentTooLarge:
            return APIProblem(status: .contentTooLarge, type: "too-large", title: "Request body too large",
                              detail: "JSON bodies are limited to \(APIKeyMiddleware.maximumBodyBytes) bytes, product images to \(ImageFormat.maximumBytes), EPCIS documents to \(EPCISController.maximumDocumentBytes).")
        case let error as HTTPResponseError where (400..<500).contains(error.status.code):
            return APIProblem(status: error.status, type: "bad-request", title: "Malformed request")
        default:
            context.logger.error("API request failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIProblem(status: .internalServerError, type: "internal", title: "Internal error")
        }
    }

    /// A decoding error's path and reason, without internals.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, context):
            return "Missing field \(path(context.codingPath + [key]))."
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "Wrong type at \(path(context.codingPath))."
        case let DecodingError.dataCorrupted(context):
            return "\(context.debugDescription) at \(path(context.codingPath))."
        default:
            return "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map(\.stringValue).joined(separator: ".")
    }
}
