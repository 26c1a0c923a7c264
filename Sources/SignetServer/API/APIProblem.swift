import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem for API clients. `type` is a stable reference under
/// `/api/v1/problems/`; validation problems list every bad field.
struct APIProblem: Error, Sendable {
    struct FieldError: Codable, Sendable, Equatable {
        var field: String
        var message: String
    }

    var status: HTTPResponse.Status
    var type: String
    var title: String
    var detail: String?
    var errors: [FieldError] = []
    /// Sent as `Retry-After` with 429.
    var retryAfterSeconds: Int?

    static func unauthorized(_ detail: String) -> APIProblem {
        APIProblem(status: .unauthorized, type: "unauthorized", title: "Missing or invalid API key", detail: detail)
    }

    static func forbidden(scope: String) -> APIProblem {
        APIProblem(status: .forbidden, type: "forbidden", title: "Not allowed", detail: "This key lacks the scope \(scope).")
    }

    static func notFound(_ detail: String) -> APIProblem {
        APIProblem(status: .notFound, type: "not-found", title: "Not found", detail: detail)
    }

    static func validation(_ errors: [FieldError]) -> APIProblem {
        APIProblem(status: .unprocessableContent, type: "validation", title: "Invalid fields",
                   detail: "\(errors.count) field(s) are invalid; see errors.", errors: errors)
    }

    static func badRequest(_ detail: String) -> APIProblem {
        APIProblem(status: .badRequest, type: "bad-request", title: "Malformed request", detail: detail)
    }

    static func conflict(_ detail: String) -> APIProblem {
        APIProblem(status: .conflict, type: "conflict", title: "Conflict", detail: detail)
    }

    var response: Response {
        struct Body: Encodable {
            var type: String
            var title: String
            var status: Int
            var detail: String?
            var errors: [FieldError]?
        }
        let body = Body(type: "/api/v1/problems/\(type)", title: title, status: status.code, detail: detail,
                        errors: errors.isEmpty ? nil : errors)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data()
        var headers: HTTPFields = [.contentType: "application/problem+json", .cacheControl: "no-store"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"signet\"" }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
