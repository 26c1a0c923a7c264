import Crypto
import Foundation

/// One SQL file of `db/migrations`, named `NNNN_description.sql`.
public struct Migration: Sendable, Equatable {
    /// The file name without `.sql`; ordering is by this name.
    public let version: String
    public let sql: String

    /// Hex SHA-256 of the file's bytes; an applied migration must never change.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    public init(version: String, sql: String) {
        self.version = version
        self.sql = sql
    }

    public static func load(from directory: String) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        return try names.map { name in
            let sql = try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)
            return Migration(version: String(name.dropLast(4)), sql: sql)
        }
    }
}
