import SignetCore
import Testing

/// A literal address of a test; a typo in it fails that test instead of the whole run.
func ip(_ text: String) throws -> IPAddress {
    try #require(IPAddress(text), "bad test address \(text)")
}
