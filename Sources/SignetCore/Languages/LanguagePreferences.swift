/// What a consumer asked for, strongest signal first: `?lang=`, then the
/// `signet_lang` cookie, then `Accept-Language` by quality.
///
/// The final choice also needs the languages the product has registered; that
/// choice is `choose(among:productDefault:)`, which the scan statement mirrors
/// in SQL so that the served language is known inside the single round trip.
public struct LanguagePreferences: Equatable, Sendable {
    /// Supported languages in order of preference, without duplicates.
    public let ordered: [Language]
    /// The primary subtag of the strongest request, even one Signet does not
    /// speak (`it`), so statistics can show unmet demand. Nil when nothing was asked.
    public let requested: String?

    public init(query: String?, cookie: String?, acceptLanguage: String?) {
        var ordered: [Language] = []
        var requested: String?
        func consider(_ tag: some StringProtocol) {
            let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
            guard !primary.isEmpty, primary != "*", primary.utf8.count <= 8,
                  primary.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) })
            else { return }
            if requested == nil { requested = primary }
            if let language = Language(rawValue: primary), !ordered.contains(language) { ordered.append(language) }
        }
        if let query { consider(query) }
        if let cookie { consider(cookie) }
        if let acceptLanguage {
            for range in AcceptLanguage.parse(acceptLanguage) { consider(range.tag) }
        }
        self.ordered = ordered
        self.requested = requested
    }

    /// The first preferred language the product has, else its default, else English.
    public func choose(among available: some Sequence<Language>, productDefault: Language?) -> Language {
        // At most four languages each way: a Set would cost more than it saves.
        let available = Array(available)
        if let match = ordered.first(where: available.contains) { return match }
        if let productDefault { return productDefault }
        return .en
    }
}
