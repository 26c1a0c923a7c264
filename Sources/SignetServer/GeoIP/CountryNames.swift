import Foundation
import SignetCore

/// Country names in each UI language, computed once at start-up from the
/// system's locale data so the scan path never formats.
struct CountryNames: Sendable {
    private let names: [Language: [String: String]]

    init() {
        var names: [Language: [String: String]] = [:]
        let codes = Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 && $0.allSatisfy(\.isLetter) }
        for language in Language.allCases {
            let locale = Locale(identifier: language.rawValue)
            var table: [String: String] = [:]
            for code in codes {
                if let name = locale.localizedString(forRegionCode: code) { table[code] = name }
            }
            names[language] = table
        }
        self.names = names
    }

    func name(of code: String?, in language: Language) -> String? {
        guard let code else { return nil }
        return names[language]?[code]
    }
}
