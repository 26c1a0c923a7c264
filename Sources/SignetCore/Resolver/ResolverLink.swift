/// One link the resolver may answer with for an identifier: a product (its GTIN), one of its lots, or
/// one serial. Brands store theirs; Signet adds its own pages (verification, product page, recall status).
public struct ResolverLink: Hashable, Sendable {
    public enum Level: Hashable, Sendable {
        case product
        case lot(String)
        case serial(String)
    }

    public var level: Level
    public var type: GS1LinkType
    public var href: String
    public var title: String
    /// BCP 47 tags (`en`, `fr-CA`) of the target's language, empty when it has none or many.
    public var languages: [String]
    /// The target's IANA media type, when known.
    public var mediaType: String?
    /// A free value the client asks for with `context=` (a market, a kind of reader).
    public var context: String?
    /// Answered to a request that asks for nothing more precise; one per level at most.
    public var isDefault: Bool

    public init(
        level: Level, type: GS1LinkType, href: String, title: String, languages: [String] = [], mediaType: String? = nil,
        context: String? = nil, isDefault: Bool = false
    ) {
        self.level = level
        self.type = type
        self.href = href
        self.title = title
        self.languages = languages
        self.mediaType = mediaType
        self.context = context
        self.isDefault = isDefault
    }
}
