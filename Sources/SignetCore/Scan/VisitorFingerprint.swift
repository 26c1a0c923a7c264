import Crypto

/// A daily pseudonym for whoever is scanning: HMAC(key, IP, User-Agent, UTC day),
/// 16 bytes. It tells one person's reloads from a second person without ever
/// storing an IP address, and it changes every day so visitors cannot be followed.
public enum VisitorFingerprint {
    public static func make(key: [UInt8], address: IPAddress?, userAgent: String?, day: String) -> [UInt8] {
        var message: [UInt8] = address?.unmappingIPv4.bytes ?? []
        message.append(0)
        message += (userAgent ?? "").utf8.prefix(512)
        message.append(0)
        message += day.utf8
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return Array(Array(mac).prefix(16))
    }
}
