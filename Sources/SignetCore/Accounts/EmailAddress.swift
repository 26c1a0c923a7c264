/// A brand manager's e-mail address, trimmed and lower-cased: the sign-in name.
///
/// Deliberately loose (one `@`, something on each side, no spaces): the
/// address is only compared, never mailed to by this check.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init?(_ raw: String) {
        let value = raw.trimmingWhitespace().lowercased()
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].count >= 1,
              !value.contains(where: \.isWhitespace)
        else { return nil }
        self.value = value
    }

    public var description: String { value }
}
