import Foundation
import NIOSSL
import PostgresNIO

/// Turns `postgres://user:password@host:port/database?sslmode=...` into a
/// client configuration. `?host=/path` selects a Unix socket folder, as libpq does.
public enum DatabaseURL {
    public static func configuration(from text: String) throws(DatabaseURLError) -> PostgresClient.Configuration {
        let parts = try Parts(text)
        var configuration: PostgresClient.Configuration
        switch parts.endpoint {
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: parts.username, password: parts.password, database: parts.database)
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS = switch parts.tls {
            case .disable: .disable
            case .prefer(let tls): .prefer(tls)
            case .require(let tls): .require(tls)
            }
            configuration = .init(
                host: host, port: port, username: parts.username, password: parts.password, database: parts.database, tls: tls)
        }
        return configuration
    }

    /// A single connection's configuration, for work that keeps one connection
    /// of its own (listening for notifications) outside the pool.
    public static func connectionConfiguration(from text: String) throws -> PostgresConnection.Configuration {
        let parts = try Parts(text)
        switch parts.endpoint {
        case .socket(let path):
            return .init(unixSocketPath: path, username: parts.username, password: parts.password, database: parts.database)
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS = switch parts.tls {
            case .disable: .disable
            case .prefer(let tls): .prefer(try NIOSSLContext(configuration: tls))
            case .require(let tls): .require(try NIOSSLContext(configuration: tls))
            }
            return .init(host: host, port: port, username: parts.username, password: parts.password, database: parts.database, tls: tls)
        }
    }

    /// What the URL says, before it becomes one kind of configuration or the other.
    private struct Parts {
        enum Endpoint {
            case socket(String)
            case tcp(host: String, port: Int)
        }

        enum TLSChoice {
            case disable
            case prefer(TLSConfiguration)
            case require(TLSConfiguration)
        }

        var endpoint: Endpoint
        var username: String
        var password: String?
        var database: String
        var tls: TLSChoice

        init(_ text: String) throws(DatabaseURLError) {
            guard let components = URLComponents(string: text),
                  components.scheme == "postgres" || components.scheme == "postgresql"
            else { throw .notAPostgresURL }
            let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
            username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? "postgres"
            password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
            let database = String(components.path.drop(while: { $0 == "/" }))
            self.database = database.isEmpty ? username : database

            if let socketFolder = query["host"], socketFolder.hasPrefix("/") {
                endpoint = .socket("\(socketFolder)/.s.PGSQL.\(components.port ?? 5432)")
                tls = .disable
                return
            }
            guard let host = components.host, !host.isEmpty else { throw .missingHost }
            endpoint = .tcp(host: host, port: components.port ?? 5432)
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
        }
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
