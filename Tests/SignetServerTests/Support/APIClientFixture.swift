import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SignetCore
import SignetServer

/// API keys for tests, and JSON calls with them.
enum APIClientFixture {
    /// A JSON body from a dictionary, for values a string literal would have to escape.
    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func key(
        _ database: TestDatabase, brand: String, scopes: [APIKeyScope] = APIKeyScope.allCases, name: String = "test",
        access: ProductAccessGrant = .everything
    ) async throws -> String {
        try await database.withClient { client in
            try await APIKeyStore(database: client, logger: Logger(label: "test")).create(
                brandSlug: brand, name: name, scopes: scopes, expiresAt: nil, access: access, actor: .commandLine)
        }
    }
}

extension TestClientProtocol {
    /// A JSON call with a bearer key; `json` is sent as the body when given.
    func api(
        _ method: HTTPRequest.Method, _ uri: String, key: String?, json: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        if json != nil { headers[.contentType] = "application/json" }
        headers.append(contentsOf: extra)
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
    }
}
