import CMaxMindDB
import Logging
import SignetCore

#if canImport(Glibc)
import Glibc
#endif

/// A MaxMind DB (GeoLite2/GeoIP2/DB-IP country or city, or Signet's own build)
/// opened once, memory-mapped, and shared: libmaxminddb reads are thread-safe
/// after `MMDB_open`.
public final class GeoIPDatabase: @unchecked Sendable {
    private let handle: UnsafeMutablePointer<MMDB_s>
    public let path: String
    public let databaseType: String

    public init(path: String) throws(GeoIPError) {
        let handle = UnsafeMutablePointer<MMDB_s>.allocate(capacity: 1)
        let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), handle)
        guard status == MMDB_SUCCESS else {
            handle.deallocate()
            throw .cannotOpen(path: path, reason: String(cString: MMDB_strerror(status)))
        }
        self.handle = handle
        self.path = path
        self.databaseType = handle.pointee.metadata.database_type.map { String(cString: $0) } ?? "unknown"
    }

    deinit {
        MMDB_close(handle)
        handle.deallocate()
    }

    /// The ISO 3166-1 alpha-2 code of the address's country, or nil when the
    /// database has no country for it.
    public func countryCode(for address: IPAddress) -> String? {
        var lookupError: Int32 = 0
        var result = withSocketAddress(address) { socketAddress in
            MMDB_lookup_sockaddr(handle, socketAddress, &lookupError)
        }
        guard lookupError == MMDB_SUCCESS, result.found_entry else { return nil }

        var data = MMDB_entry_data_s()
        // MMDB_get_value is variadic and out of Swift's reach; the array form takes a NULL-terminated path.
        let status = Self.countryPath.withUnsafeBufferPointer { path in
            MMDB_aget_value(&result.entry, &data, path.baseAddress)
        }
        guard status == MMDB_SUCCESS, data.has_data, data.type == UInt32(MMDB_DATA_TYPE_UTF8_STRING),
              data.data_size == 2, let bytes = data.utf8_string
        else { return nil }
        // Strings in the file are not NUL-terminated: read exactly data_size bytes.
        let code = String(decoding: UnsafeRawBufferPointer(start: bytes, count: 2), as: UTF8.self)
        return code.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) ? code : nil
    }

    // Allocated once, never freed or written: safe to share.
    nonisolated(unsafe) private static let countryPath: [UnsafePointer<CChar>?] = [
        UnsafePointer(strdup("country")), UnsafePointer(strdup("iso_code")), nil,
    ]

    private func withSocketAddress<T>(_ address: IPAddress, _ body: (UnsafePointer<sockaddr>) -> T) -> T {
        if address.isIPv4 {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            withUnsafeMutableBytes(of: &socketAddress.sin_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &socketAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
        } else {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &socketAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
        }
    }
}

public enum GeoIPError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open GeoIP database \(path): \(reason)"
        }
    }
}

/// The country lookup the scan path uses: "unknown" whenever there is no
/// database, no address or no country, so GeoIP can never fail a scan.
public struct CountryResolver: Sendable {
    public static let unknown = "unknown"
    public let database: GeoIPDatabase?

    public init(database: GeoIPDatabase?) {
        self.database = database
    }

    /// Opens the file if one is configured; a missing or unreadable file is logged, not fatal.
    public init(path: String?, logger: Logger) {
        guard let path else {
            logger.warning("no GeoIP database configured (SIGNET_GEOIP_DB); every country will be 'unknown'")
            self.init(database: nil)
            return
        }
        do {
            let database = try GeoIPDatabase(path: path)
            logger.info("GeoIP database opened", metadata: ["path": "\(path)", "type": "\(database.databaseType)"])
            self.init(database: database)
        } catch {
            logger.warning("GeoIP database unavailable; every country will be 'unknown'", metadata: ["error": "\(error)"])
            self.init(database: nil)
        }
    }

    public func country(for address: IPAddress?) -> String {
        guard let address, let database else { return Self.unknown }
        // An IPv4-only file cannot answer `::ffff:a.b.c.d` (a dual-stack socket's peer).
        return database.countryCode(for: address.unmappingIPv4) ?? Self.unknown
    }
}
