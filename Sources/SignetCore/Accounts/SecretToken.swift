import Crypto

/// Random bearer secrets (session ids, sign-in links, API keys, CSRF tokens)
/// and the digest under which the database keeps them.
public enum SecretToken {
    /// 32 random bytes from the system's CSPRNG in base64url: 43 characters.
    public static func generate(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// What the database stores instead of the secret: SHA-256 of its UTF-8 bytes.
    public static func digest(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// Compares without an early exit, so the time taken says nothing about where two values differ.
    public static func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
