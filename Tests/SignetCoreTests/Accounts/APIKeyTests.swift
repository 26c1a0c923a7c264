import SignetCore
import Testing

@Suite("API keys and secrets")
struct APIKeyTests {
    @Test("a generated key is recognised in a Bearer header, whatever the scheme's case")
    func bearer() {
        let key = APIKeyFormat.generate()
        #expect(key.hasPrefix("sgk_") && key.count == 47)
        #expect(APIKeyFormat.bearerKey(fromAuthorization: "Bearer \(key)") == key)
        #expect(APIKeyFormat.bearerKey(fromAuthorization: "bearer  \(key)") == key)
        #expect(APIKeyFormat.prefix(of: key) == String(key.prefix(12)))
    }

    @Test("other schemes, truncated keys and foreign characters are not keys",
          arguments: ["Basic abc", "Bearer", "Bearer sgk_short", "Bearer xyz_" + String(repeating: "a", count: 43),
                      "Bearer sgk_" + String(repeating: "a", count: 42) + "!"])
    func notKeys(header: String) {
        #expect(APIKeyFormat.bearerKey(fromAuthorization: header) == nil)
    }

    @Test("scope lists parse, drop duplicates, and name the first unknown scope")
    func scopes() throws {
        #expect(try APIKeyScope.parseList("products:read, seals:write,products:read").get() == [.productsRead, .sealsWrite])
        #expect(throws: APIKeyScope.UnknownScope.self) { try APIKeyScope.parseList("products:read,root").get() }
        #expect(throws: APIKeyScope.UnknownScope.self) { try APIKeyScope.parseList(" , ").get() }
    }

    @Test("secrets are distinct, 43 base64url characters, stored as 32-byte digests, compared in constant time")
    func secrets() {
        let a = SecretToken.generate(), b = SecretToken.generate()
        #expect(a != b && a.count == 43)
        #expect(SecretToken.digest(a).count == 32)
        #expect(SecretToken.constantTimeEquals(SecretToken.digest(a), SecretToken.digest(a)))
        #expect(!SecretToken.constantTimeEquals(SecretToken.digest(a), SecretToken.digest(b)))
        #expect(!SecretToken.constantTimeEquals([1, 2], [1, 2, 3]))
    }
}
