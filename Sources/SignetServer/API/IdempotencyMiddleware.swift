import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PostgresNIO

/// `Idempotency-Key` on creating calls: the first answer to a key is stored
/// and replayed to retries of the same request; the same key with another
/// request is a 422, and a retry while the first call still runs is a 409.
/// Server errors (5xx) are not stored, so a retry runs again. An answer
/// marked `Cache-Control: no-store` (it holds a secret) is stored sealed with
/// the server's secret key, or not at all without one.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = SignetRequestContext
    let database: PostgresClient
    let box: SecretBox?
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey], let client = context.apiClient else {
            return try await next(request, context)
        }
        guard (1...255).contains(key.utf8.count) else { throw APIProblem.badRequest("Idempotency-Key must have 1 to 255 characters.") }
        var request = request
        let body = try await request.collectBody(upTo: APIKeyMiddleware.maximumBodyBytes)
        var hasher = SHA256()
        hasher.update(data: Array("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: Array(body.readableBytesView))
        let hash = ByteBuffer(bytes: Array(hasher.finalize()))

        let reserved = try await database.query("""
            INSERT INTO idempotency_keys (api_key_id, key, request_hash) VALUES (\(client.keyID), \(key), \(hash))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger).collect()
        if reserved.isEmpty { return try await replay(keyID: client.keyID, key: key, hash: hash) }

        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            try? await release(keyID: client.keyID, key: key)
            throw error
        }
        guard response.status.code < 500 else {
            try? await release(keyID: client.keyID, key: key)
            return response
        }
        let collector = ResponseCollector()
        try await response.body.write(CollectingWriter(collector: collector))
        let stored = collector.buffer
        let headers = [HTTPField.Name.location, .eTag, .contentType, .cacheControl].reduce(into: [String: String]()) { headers, name in
            if let value = response.headers[name] { headers[name.canonicalName] = value }
        }
        let headersJSON = String(decoding: try JSONEncoder().encode(headers), as: UTF8.self)
        var kept = stored
        let secret = response.headers[.cacheControl]?.contains("no-store") == true
        if secret {
            guard let box else {
                try? await release(keyID: client.keyID, key: key)
                var answered = response
                answered.body = .init(byteBuffer: stored)
                return answered
            }
            kept = ByteBuffer(bytes: try box.seal(String(buffer: stored)))
        }
        try await database.query("""
            UPDATE idempotency_keys SET status = \(Int(response.status.code)), headers = \(headersJSON)::jsonb, body = \(kept),
                                        body_sealed = \(secret)
            WHERE api_key_id = \(client.keyID) AND key = \(key)
            """, logger: logger)
        var replayed = response
        replayed.body = .init(byteBuffer: stored)
        return replayed
    }

    private func replay(keyID: Int64, key: String, hash: ByteBuffer) async throws -> Response {
        let rows = try await database.query("""
            SELECT request_hash, status, headers::text, body, body_sealed FROM idempotency_keys WHERE api_key_id = \(keyID) AND key = \(key)
            """, logger: logger).collect()
        guard let row = rows.first else { throw APIProblem.conflict("Retry: the first call with this Idempotency-Key just ended.") }
        let (storedHash, status, headersJSON, storedBody, sealed) = try row.decode((ByteBuffer, Int?, String?, ByteBuffer?, Bool).self)
        var body = storedBody
        if sealed {
            guard let opened = body.flatMap({ box?.open(Array($0.readableBytesView)) }) else {
                throw APIProblem.conflict("The first answer to this Idempotency-Key can no longer be shown; use another key.")
            }
            body = ByteBuffer(string: opened)
        }
        guard storedHash == hash else {
            throw APIProblem(status: .unprocessableContent, type: "idempotency-mismatch", title: "Idempotency-Key reused",
                             detail: "This Idempotency-Key was used for another request.")
        }
        guard let status else { throw APIProblem.conflict("The first call with this Idempotency-Key is still running.") }
        var headers: HTTPFields = [:]
        let stored = (try? JSONDecoder().decode([String: String].self, from: Data((headersJSON ?? "{}").utf8))) ?? [:]
        for (name, value) in stored { if let field = HTTPField.Name(name) { headers[field] = value } }
        headers[.idempotentReplayed] = "true"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: body ?? ByteBuffer()))
    }

    private func release(keyID: Int64, key: String) async throws {
        try await database.query("DELETE FROM idempotency_keys WHERE api_key_id = \(keyID) AND key = \(key)", logger: logger)
    }
}

/// Gathers a response body in memory (API answers are small JSON documents).
final class ResponseCollector: @unchecked Sendable {
    var buffer = ByteBuffer()
}

struct CollectingWriter: ResponseBodyWriter {
    let collector: ResponseCollector

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        collector.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
