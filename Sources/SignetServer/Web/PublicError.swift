import HTTPTypes

/// The errors a visitor can see. Each maps to a status and to localized text;
/// anything else is logged and shown as a generic 500.
enum PublicError: Error, Equatable {
    case badRequest
    case forbidden
    case notFound
    case payloadTooLarge
    case rateLimited
    case unavailable
    case internalError

    var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .payloadTooLarge: .contentTooLarge
        case .rateLimited: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    /// Prefix of the `_title` and `_detail` localization keys.
    var messageKey: String {
        switch self {
        case .badRequest: "error_bad_request"
        case .forbidden: "error_forbidden"
        case .notFound: "error_not_found"
        case .payloadTooLarge: "error_too_large"
        case .rateLimited: "error_rate_limited"
        case .unavailable: "error_unavailable"
        case .internalError: "error_server"
        }
    }

    init(status: HTTPResponse.Status) {
        switch status.code {
        case 403: self = .forbidden
        case 404, 405: self = .notFound
        case 413: self = .payloadTooLarge
        case 429: self = .rateLimited
        case 503: self = .unavailable
        case 400..<500: self = .badRequest
        default: self = .internalError
        }
    }
}
