import Foundation
import NIOSSL
import PostgresNIO

/// Turns `postgres://user:password@host:port/database?sslmode=...` into a
/// client configuration. `?host=/path` selects a Unix socket folder, as libpq does.
public enum DatabaseURL {
    public static func configuration(from text: String) throws(DatabaseURLError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text),
              components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw .notAPostgresURL }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let database = String(components.path.drop(while: { $0 == "/" }))
        let databaseName = database.isEmpty ? username : database

        if let socketFolder = query["host"], socketFolder.hasPrefix("/") {
            let port = components.port ?? 5432
            return PostgresClient.Configuration(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)",
                username: username, password: password, database: databaseName)
        }
        guard let host = components.host, !host.isEmpty else { throw .missingHost }
        let tls: PostgresClient.Configuration.TLS
        // As in libpq: prefer and require encrypt without checking the certificate;
        // verify-ca checks the chain, verify-full also the host name.
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        var chainOnly = TLSConfiguration.makeClientConfiguration()
        chainOnly.certificateVerification = .noHostnameVerification
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer(unverified)
        case "require": tls = .require(unverified)
        case "verify-ca": tls = .require(chainOnly)
        case "verify-full": tls = .require(.makeClientConfiguration())
        case let other: throw .unsupportedSSLMode(other)
        }
        return PostgresClient.Configuration(
            host: host, port: components.port ?? 5432,
            username: username, password: password, database: databaseName, tls: tls)
    }

    /// The same URL with another database name; used to create test and template databases.
    public static func replacingDatabase(in text: String, with database: String) -> String {
        guard var components = URLComponents(string: text) else { return text }
        components.path = "/" + database
        return components.string ?? text
    }
}

public enum DatabaseURLError: Error, CustomStringConvertible {
    case notAPostgresURL
    case missingHost
    case unsupportedSSLMode(String)

    public var description: String {
        switch self {
        case .notAPostgresURL: "SIGNET_DATABASE_URL must look like postgres://user:password@host:5432/database"
        case .missingHost: "SIGNET_DATABASE_URL has no host (use ?host=/socket/folder for a Unix socket)"
        case .unsupportedSSLMode(let mode): "SIGNET_DATABASE_URL: unsupported sslmode \(mode)"
        }
    }
}
