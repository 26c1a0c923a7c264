/// Which link answers a resolver request, as the GS1-Conformant Resolver standard says: the requested
/// link type at the most specific level that has one (walking up from serial to lot to product), the
/// best of several by context, language and media type, or the default link when no type is asked for.
public enum LinkChooser {
    public struct Request: Sendable {
        public var linkType: GS1LinkType?
        /// Accept-Language tags, most wanted first, lowercased.
        public var languages: [String]
        /// Accept media types without wildcards, most wanted first.
        public var mediaTypes: [String]
        public var context: String?

        public init(linkType: GS1LinkType? = nil, languages: [String] = [], mediaTypes: [String] = [], context: String? = nil) {
            self.linkType = linkType
            self.languages = languages
            self.mediaTypes = mediaTypes
            self.context = context
        }
    }

    public enum Choice: Equatable, Sendable {
        case link(ResolverLink)
        /// Several links fit equally well: the client chooses (300 Multiple Choices).
        case multipleChoices([ResolverLink])
        /// No link of the requested type (404).
        case none
    }

    /// `levels`: the links of each level of the request URI, most specific first.
    public static func choose(_ request: Request, levels: [[ResolverLink]]) -> Choice {
        guard let type = request.linkType else {
            for links in levels {
                if let fallback = links.first(where: \.isDefault) { return .link(fallback) }
            }
            return .none
        }
        guard let candidates = levels.lazy.map({ $0.filter { $0.type == type } }).first(where: { !$0.isEmpty }) else {
            return .none
        }
        var best = candidates
        if let context = request.context {
            let matching = best.filter { $0.context == context }
            if !matching.isEmpty { best = matching }
        }
        best = keepBest(best) { languageRank($0, request.languages) }
        best = keepBest(best) { mediaTypeRank($0, request.mediaTypes) }
        if best.count == 1 { return .link(best[0]) }
        let defaults = best.filter(\.isDefault)
        if defaults.count == 1 { return .link(defaults[0]) }
        return .multipleChoices(best)
    }

    private static func keepBest(_ links: [ResolverLink], by rank: (ResolverLink) -> Int) -> [ResolverLink] {
        guard let top = links.map(rank).min() else { return links }
        return links.filter { rank($0) == top }
    }

    /// The position of the first wanted language the link is in (`fr` serves `fr-CA` and the other way
    /// round); a link in no language comes after every match, one in an unwanted language last.
    static func languageRank(_ link: ResolverLink, _ wanted: [String]) -> Int {
        guard !wanted.isEmpty else { return 0 }
        guard !link.languages.isEmpty else { return wanted.count }
        let offered = link.languages.map { $0.lowercased() }
        for (position, tag) in wanted.enumerated() {
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            if offered.contains(where: { $0 == tag || $0 == primary || $0.hasPrefix(primary + "-") }) { return position }
        }
        return wanted.count + 1
    }

    static func mediaTypeRank(_ link: ResolverLink, _ wanted: [String]) -> Int {
        guard !wanted.isEmpty else { return 0 }
        guard let type = link.mediaType?.lowercased() else { return wanted.count }
        return wanted.firstIndex(of: type) ?? wanted.count + 1
    }
}
