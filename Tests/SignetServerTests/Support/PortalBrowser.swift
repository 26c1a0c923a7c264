import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A browser for portal tests: keeps cookies between requests, reads the CSRF
/// token from the last page's forms, and posts forms with it.
struct PortalBrowser {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    /// The `csrf` field of the last page that had a form.
    private(set) var csrf: String?
    var acceptLanguage = "en"

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    @discardableResult
    mutating func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers()
        headers.append(contentsOf: extra)
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        remember(response)
        return response
    }

    /// Posts `fields` url-encoded, adding the remembered CSRF token unless `csrf` is given (or "" for none).
    @discardableResult
    mutating func post(_ uri: String, _ fields: [String: String] = [:], csrf override: String? = nil) async throws -> TestResponse {
        var fields = fields
        let token = override ?? csrf ?? ""
        if !token.isEmpty { fields["csrf"] = token }
        var headers = headers()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// Posts `fields` and one file as `multipart/form-data`, as a browser's file input does.
    @discardableResult
    mutating func upload(
        _ uri: String, _ fields: [String: String] = [:], file: (field: String, name: String, type: String, bytes: [UInt8])?,
        csrf override: String? = nil
    ) async throws -> TestResponse {
        var fields = fields
        let token = override ?? csrf ?? ""
        if !token.isEmpty { fields["csrf"] = token }
        let boundary = "----signet-test-\(UInt64.random(in: 0...UInt64.max))"
        var body = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if let file {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n")
            body.writeString("Content-Type: \(file.type)\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = headers()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: body)
        remember(response)
        return response
    }

    /// Signs in through the real form; expects success.
    mutating func signIn(_ email: String, password: String = AccountsFixture.password) async throws {
        try await get("/portal/sign-in")
        let response = try await post("/portal/sign-in", ["email": email, "password": password])
        try #require(response.status == .seeOther, "sign-in of \(email) answered \(response.status)")
        try await get("/portal/products")
    }

    mutating func setCookie(_ name: String, _ value: String) {
        cookies[name] = value
    }

    private func headers() -> HTTPFields {
        var headers: HTTPFields = [.acceptLanguage: acceptLanguage]
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        return headers
    }

    private mutating func remember(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]), value = String(pair[1])
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let html = String(buffer: response.body)
        if let range = html.range(of: #"name="csrf" value=""#) {
            csrf = String(html[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
