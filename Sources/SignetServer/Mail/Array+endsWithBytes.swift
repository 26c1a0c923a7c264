extension Array where Element == UInt8 {
    /// Whether the bytes end with `suffix` (a CRLF, usually), without building a String.
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
