/// A network such as `10.0.0.0/8` or `fd00::/8`; a bare address is a /32 or /128.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let address = IPAddress(first)?.unmappingIPv4 else { return nil }
        let maximum = address.bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            guard parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let parsed = Int(parts[1]), (0...maximum).contains(parsed) else { return nil }
            length = parsed
        }
        network = address
        prefixLength = length
    }

    public func contains(_ address: IPAddress) -> Bool {
        let address = address.unmappingIPv4
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for (lhs, rhs) in zip(address.bytes, network.bytes) where remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if lhs & mask != rhs & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// Parses a comma- or space-separated list, failing on the first entry that is not a network.
    public static func parseList(_ text: String) -> Result<[CIDR], CIDRListError> {
        var list: [CIDR] = []
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " }) where !item.isEmpty {
            guard let cidr = CIDR(item) else { return .failure(CIDRListError(entry: String(item))) }
            list.append(cidr)
        }
        return .success(list)
    }
}

public struct CIDRListError: Error, Equatable, CustomStringConvertible {
    public let entry: String
    public var description: String { "not an IP network: \(entry)" }
}
