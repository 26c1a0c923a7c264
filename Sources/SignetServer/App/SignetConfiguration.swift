import Configuration
import Foundation
import Logging
import SignetCore

/// Everything an operator can set, read once at start-up.
///
/// Keys are read as `signet.database.url` and so on, which the environment
/// provider maps to `SIGNET_DATABASE_URL`; the command line maps `--database-url`.
public struct SignetConfiguration: Sendable {
    public var databaseURL: String
    public var host: String
    public var port: Int
    /// The origin printed into seal URLs, e.g. `https://scan.example.com`.
    public var publicURL: String
    public var geoIPDatabasePath: String?
    public var trustedProxies: [CIDR]
    public var logLevel: Logger.Level
    /// Folder holding `Templates/`, `Localization/`, `Public/` and `db/migrations/`.
    public var resourcesDirectory: String
    public var databasePoolSize: Int
    /// Digital Link requests (scans and product pages) per client address and
    /// minute; 0 turns the limit off.
    public var scanRateLimitPerMinute: Int
    /// Management API calls per key and minute; 0 turns the limit off.
    public var apiRateLimitPerMinute: Int
    /// 32 bytes that seal secrets kept in the database (TOTP seeds); without
    /// it, two-factor sign-in cannot be set up.
    public var secretKey: [UInt8]?
    /// Lets webhooks reach loopback, private and link-local addresses (local
    /// development and tests); refused otherwise.
    public var webhookAllowPrivate: Bool
    /// The SMTP relay for alert e-mails and sign-in links (SIGNET_SMTP_URL);
    /// nil sends no e-mail.
    public var smtp: SMTPConfiguration?
    /// The brands' NFC master keys (SIGNET_NFC_KEYS_FILE); empty: no brand verifies NFC taps.
    public var nfcKeys: NFCKeyRing

    public static let defaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/signet?sslmode=disable"

    public init(
        databaseURL: String = SignetConfiguration.defaultDatabaseURL,
        host: String = "127.0.0.1",
        port: Int = 8080,
        publicURL: String? = nil,
        geoIPDatabasePath: String? = nil,
        trustedProxies: [CIDR] = [],
        logLevel: Logger.Level = .info,
        resourcesDirectory: String = ".",
        databasePoolSize: Int = 12,
        scanRateLimitPerMinute: Int = 120,
        apiRateLimitPerMinute: Int = 600,
        secretKey: [UInt8]? = nil,
        webhookAllowPrivate: Bool = false,
        smtp: SMTPConfiguration? = nil,
        nfcKeys: NFCKeyRing = .empty
    ) {
        self.databaseURL = databaseURL
        self.host = host
        self.port = port
        self.publicURL = publicURL ?? "http://\(host):\(port)"
        self.geoIPDatabasePath = geoIPDatabasePath
        self.trustedProxies = trustedProxies
        self.logLevel = logLevel
        self.resourcesDirectory = resourcesDirectory
        self.databasePoolSize = databasePoolSize
        self.scanRateLimitPerMinute = scanRateLimitPerMinute
        self.apiRateLimitPerMinute = apiRateLimitPerMinute
        self.secretKey = secretKey
        self.webhookAllowPrivate = webhookAllowPrivate
        self.smtp = smtp
        self.nfcKeys = nfcKeys
    }

    public init(reader: ConfigReader) throws(ConfigurationError) {
        let host = reader.string(forKey: "signet.host", default: "127.0.0.1")
        let port = reader.int(forKey: "signet.port", default: 8080)
        guard (1...65535).contains(port) else { throw .invalid(key: "SIGNET_PORT", reason: "must be 1-65535") }

        let proxies: [CIDR]
        switch CIDR.parseList(reader.string(forKey: "signet.trusted.proxies", default: "")) {
        case .success(let list): proxies = list
        case .failure(let error): throw .invalid(key: "SIGNET_TRUSTED_PROXIES", reason: error.description)
        }

        let levelName = reader.string(forKey: "signet.log.level", default: "info")
        guard let level = Logger.Level(rawValue: levelName.lowercased()) else {
            throw .invalid(key: "SIGNET_LOG_LEVEL", reason: "one of trace, debug, info, notice, warning, error, critical")
        }

        var publicURL = reader.string(forKey: "signet.public.url") ?? "http://\(host):\(port)"
        while publicURL.hasSuffix("/") { publicURL.removeLast() }
        guard publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://") else {
            throw .invalid(key: "SIGNET_PUBLIC_URL", reason: "must start with http:// or https://")
        }

        let poolSize = reader.int(forKey: "signet.database.pool.size", default: 12)
        guard (1...256).contains(poolSize) else { throw .invalid(key: "SIGNET_DATABASE_POOL_SIZE", reason: "must be 1-256") }

        let rateLimit = reader.int(forKey: "signet.scan.rate.limit", default: 120)
        guard rateLimit >= 0 else { throw .invalid(key: "SIGNET_SCAN_RATE_LIMIT", reason: "must be 0 (off) or more") }

        let apiRateLimit = reader.int(forKey: "signet.api.rate.limit", default: 600)
        guard apiRateLimit >= 0 else { throw .invalid(key: "SIGNET_API_RATE_LIMIT", reason: "must be 0 (off) or more") }

        var secretKey: [UInt8]?
        if let text = reader.string(forKey: "signet.secret.key", isSecret: true), !text.isEmpty {
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw .invalid(key: "SIGNET_SECRET_KEY", reason: "must be 32 bytes in base64 (openssl rand -base64 32)")
            }
            secretKey = Array(data)
        }

        var smtp: SMTPConfiguration?
        if let text = reader.string(forKey: "signet.smtp.url", isSecret: true), !text.isEmpty {
            do { smtp = try SMTPConfiguration(url: text) } catch {
                throw .invalid(key: "SIGNET_SMTP_URL", reason: error.description)
            }
        }

        var nfcKeys = NFCKeyRing.empty
        if let path = reader.string(forKey: "signet.nfc.keys.file"), !path.isEmpty {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .invalid(key: "SIGNET_NFC_KEYS_FILE", reason: "cannot read \(path)")
            }
            do { nfcKeys = try NFCKeyRing(text: text) } catch {
                throw .invalid(key: "SIGNET_NFC_KEYS_FILE", reason: error.description)
            }
        }

        let geoIP = reader.string(forKey: "signet.geoip.db")
        self.init(
            databaseURL: reader.string(forKey: "signet.database.url", default: Self.defaultDatabaseURL),
            host: host,
            port: port,
            publicURL: publicURL,
            geoIPDatabasePath: geoIP?.isEmpty == true ? nil : geoIP,
            trustedProxies: proxies,
            logLevel: level,
            resourcesDirectory: reader.string(forKey: "signet.resources.dir", default: "."),
            databasePoolSize: poolSize,
            scanRateLimitPerMinute: rateLimit,
            apiRateLimitPerMinute: apiRateLimit,
            secretKey: secretKey,
            webhookAllowPrivate: reader.bool(forKey: "signet.webhook.allow.private", default: false),
            smtp: smtp,
            nfcKeys: nfcKeys
        )
    }
}

public enum ConfigurationError: Error, CustomStringConvertible {
    case invalid(key: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let key, let reason): "\(key): \(reason)"
        }
    }
}
