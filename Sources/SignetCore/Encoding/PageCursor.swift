/// An opaque position in a sorted list, handed to API clients as
/// `next_cursor`: the sort key of the last item, in base64url.
public enum PageCursor {
    public static func encode(_ parts: [String]) -> String {
        Base64URL.encode(Array(parts.joined(separator: "\u{1F}").utf8))
    }

    /// The parts, or nil when the text is not a cursor this API made.
    public static func decode(_ cursor: String, parts count: Int) -> [String]? {
        guard cursor.utf8.count <= 512, let bytes = Base64URL.decode(cursor) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        return parts.count == count ? parts : nil
    }
}
