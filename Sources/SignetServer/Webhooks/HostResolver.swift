#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix
import SignetCore

/// Every address a host name resolves to, by the system resolver (`getaddrinfo`,
/// so `/etc/hosts` and the operator's DNS settings apply), off the event loops.
///
/// Webhook deliveries resolve the host themselves, check each address against
/// `OutboundAddressPolicy`, and pin the connection to a checked one: letting
/// the HTTP client resolve again would let a name answer a public address to
/// the check and a private one to the connection (DNS rebinding).
enum HostResolver {
    struct Failure: Error, CustomStringConvertible {
        var host: String
        var code: Int32
        var description: String { "could not resolve \(host): \(String(cString: gai_strerror(code)))" }
    }

    static func addresses(of host: String) async throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        return try await NIOThreadPool.singleton.runIfActive { try resolve(host) }
    }

    private static func resolve(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &list)
        guard code == 0 else { throw Failure(host: host, code: code) }
        defer { freeaddrinfo(list) }
        var found: [IPAddress] = []
        var entry = list
        while let current = entry {
            if let socketAddress = current.pointee.ai_addr {
                switch Int32(socketAddress.pointee.sa_family) {
                case AF_INET:
                    let bytes = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                    }
                    if let address = IPAddress(bytes: bytes) { found.append(address) }
                case AF_INET6:
                    let bytes = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                    }
                    if let address = IPAddress(bytes: bytes) { found.append(address) }
                default:
                    break
                }
            }
            entry = current.pointee.ai_next
        }
        var unique: [IPAddress] = []
        for address in found where !unique.contains(address) { unique.append(address) }
        return unique
    }
}
