import Hummingbird
import SignetCore

/// A portal form post (`application/x-www-form-urlencoded`, or the text
/// fields of a `multipart/form-data` upload), read once and kept on the
/// request so the CSRF check and the handler both see it.
enum PortalForm {
    /// Forms carry text only; anything larger is refused with 413.
    static let maximumBytes = 256 * 1024

    static func fields(_ request: inout Request) async throws -> [String: String] {
        if PortalUpload.isMultipart(request) { return try await PortalUpload.read(&request).fields }
        let body = try await request.collectBody(upTo: maximumBytes)
        let text = String(buffer: body)
        guard !text.isEmpty else { return [:] }
        do {
            return try URLEncodedFormDecoder().decode([String: String].self, from: text)
        } catch {
            throw PublicError.badRequest
        }
    }

    static func isStateChanging(_ method: HTTPRequest.Method) -> Bool {
        method != .get && method != .head && method != .options
    }

    /// Whether a submitted token matches the expected one, in constant time.
    static func tokenMatches(_ submitted: String?, expected: String) -> Bool {
        guard let submitted, !expected.isEmpty else { return false }
        return SecretToken.constantTimeEquals(Array(submitted.utf8), Array(expected.utf8))
    }
}
