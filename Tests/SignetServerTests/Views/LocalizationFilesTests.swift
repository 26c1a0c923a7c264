import Foundation
import SignetCore
import SignetServer
import Testing

@Suite("Localization files")
struct LocalizationFilesTests {
    @Test("every language has exactly the same keys, and no value is empty")
    func sameKeys() throws {
        let catalog = try LocalizationLoader.load(directory: "\(TestEnvironment.packageRoot)/Localization")
        let english = Set(catalog.strings(.en).table.keys)
        #expect(english.count > 40)
        for language in Language.allCases {
            let table = catalog.strings(language).table
            #expect(Set(table.keys) == english, "\(language)")
            for (key, value) in table {
                #expect(!value.trimmingCharacters(in: .whitespaces).isEmpty, "\(language).\(key) is empty")
            }
        }
    }

    @Test("every verdict and error has its texts in every language")
    func verdictAndErrorKeys() throws {
        let catalog = try LocalizationLoader.load(directory: "\(TestEnvironment.packageRoot)/Localization")
        var keys = Verdict.allCases.flatMap { ["verdict_\($0.rawValue)_title", "verdict_\($0.rawValue)_detail"] }
        keys.removeAll { $0 == "verdict_genuine_seen_detail" }
        keys += ["verdict_genuine_seen_detail_one", "verdict_genuine_seen_detail_other", "date_pattern"]
        keys += (1...12).map { "month_\($0)" }
        keys += ["bad_request", "not_found", "too_large", "rate_limited", "server", "unavailable"]
            .flatMap { ["error_\($0)_title", "error_\($0)_detail"] }
        for language in Language.allCases {
            let table = catalog.strings(language).table
            for key in keys { #expect(table[key] != nil, "\(language) lacks \(key)") }
            #expect(table["verdict_genuine_seen_detail_other"]?.contains("{count}") == true)
        }
    }

    @Test("a catalog missing a key in one language is rejected")
    func inconsistentRejected() {
        #expect(throws: LocalizationError.self) {
            try LocalizationCatalog(tables: [.en: ["a": "A", "b": "B"], .fr: ["a": "A"], .de: ["a": "A", "b": "B"], .es: ["a": "A", "b": "B"]])
        }
    }
}
