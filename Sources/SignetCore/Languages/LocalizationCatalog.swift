/// UI strings for every supported language, checked complete at load time.
public struct LocalizationCatalog: Sendable {
    private let tables: [Language: LocalizedStrings]

    public init(tables: [Language: [String: String]]) throws(LocalizationError) {
        let reference = Set(tables[.en]?.keys ?? [:].keys)
        var loaded: [Language: LocalizedStrings] = [:]
        for language in Language.allCases {
            guard let table = tables[language] else { throw .missingLanguage(language) }
            let keys = Set(table.keys)
            let missing = reference.subtracting(keys).union(keys.subtracting(reference)).sorted()
            guard missing.isEmpty else { throw .inconsistentKeys(language, missing) }
            loaded[language] = LocalizedStrings(language: language, table: table)
        }
        self.tables = loaded
    }

    public func strings(_ language: Language) -> LocalizedStrings {
        tables[language]!
    }
}

public enum LocalizationError: Error, Equatable, CustomStringConvertible {
    case missingLanguage(Language)
    /// Keys present in one language and not in English, or the reverse.
    case inconsistentKeys(Language, [String])

    public var description: String {
        switch self {
        case .missingLanguage(let language): "no strings for language \(language.rawValue)"
        case .inconsistentKeys(let language, let keys): "\(language.rawValue) differs from en on keys: \(keys.joined(separator: ", "))"
        }
    }
}
