/// Which addresses a webhook delivery may connect to.
///
/// A brand chooses its webhook URL, so without this check it could make
/// Signet's servers call the database, a cloud metadata endpoint
/// (169.254.169.254) or anything else on their own network. The check is
/// made on the address actually connected to, after name resolution, so a
/// host name that resolves to an internal address is refused as well.
///
/// Two groups of ranges are refused:
/// - ranges where no webhook receiver can live (unspecified, "this network",
///   multicast, reserved and broadcast): always, since a URL reaching them is
///   a mistake or a trick (Linux connects 0.0.0.0 to the local host);
/// - internal ranges (loopback, private, CGNAT, link-local, unique-local,
///   and the documentation ranges, which the internet never routes, so an
///   address there can only be someone's internal network): unless
///   `allowPrivate` is set, for development and tests whose receiver runs on
///   the same machine or network.
///
/// IPv6 addresses that carry an IPv4 address a gateway would connect to
/// (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are
/// judged by that IPv4 address.
public struct OutboundAddressPolicy: Sendable {
    public var allowPrivate: Bool

    public init(allowPrivate: Bool = false) {
        self.allowPrivate = allowPrivate
    }

    public func permits(_ address: IPAddress) -> Bool {
        refusal(for: address) == nil
    }

    /// The range that refuses `address`, nil when it may be reached.
    public func refusal(for address: IPAddress) -> SpecialAddressRange? {
        let judged = Self.embeddedIPv4(in: address) ?? address
        guard let range = SpecialAddressRange.all.first(where: { $0.network.contains(judged) }) else { return nil }
        if range.isInternal && allowPrivate { return nil }
        return range
    }

    private static let nat64 = CIDR("64:ff9b::/96")!
    private static let sixToFour = CIDR("2002::/16")!

    private static func embeddedIPv4(in address: IPAddress) -> IPAddress? {
        let unmapped = address.unmappingIPv4
        if unmapped.isIPv4 { return unmapped }
        if nat64.contains(address) { return IPAddress(bytes: Array(address.bytes[12..<16])) }
        if sixToFour.contains(address) { return IPAddress(bytes: Array(address.bytes[2..<6])) }
        return nil
    }
}

/// A range of the IANA special-purpose registries that webhooks stay out of.
public struct SpecialAddressRange: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let network: CIDR
    /// An internal network (lifted by `allowPrivate`), as opposed to a range
    /// where no receiver can be.
    public let isInternal: Bool

    public var description: String { "\(network) (\(name))" }

    static let all: [SpecialAddressRange] = [
        unreachable("unspecified", "::/128"),
        unreachable("this network", "0.0.0.0/8"),
        unreachable("multicast", "224.0.0.0/4"),
        unreachable("multicast", "ff00::/8"),
        unreachable("broadcast", "255.255.255.255/32"),
        unreachable("reserved", "240.0.0.0/4"),
        internalNetwork("loopback", "127.0.0.0/8"),
        internalNetwork("loopback", "::1/128"),
        internalNetwork("private", "10.0.0.0/8"),
        internalNetwork("private", "172.16.0.0/12"),
        internalNetwork("private", "192.168.0.0/16"),
        internalNetwork("shared address space (CGNAT)", "100.64.0.0/10"),
        internalNetwork("link-local", "169.254.0.0/16"),
        internalNetwork("link-local", "fe80::/10"),
        internalNetwork("unique local", "fc00::/7"),
        internalNetwork("site-local (deprecated)", "fec0::/10"),
        internalNetwork("IETF protocol assignments", "192.0.0.0/24"),
        internalNetwork("benchmarking", "198.18.0.0/15"),
        internalNetwork("documentation", "192.0.2.0/24"),
        internalNetwork("documentation", "198.51.100.0/24"),
        internalNetwork("documentation", "203.0.113.0/24"),
        internalNetwork("documentation", "2001:db8::/32"),
    ]

    private static func unreachable(_ name: String, _ network: String) -> SpecialAddressRange {
        SpecialAddressRange(name: name, network: CIDR(network)!, isInternal: false)
    }

    private static func internalNetwork(_ name: String, _ network: String) -> SpecialAddressRange {
        SpecialAddressRange(name: name, network: CIDR(network)!, isInternal: true)
    }
}
