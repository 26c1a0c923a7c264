import Testing
@testable import SignetCore

struct PreferencesCase: Sendable, CustomTestStringConvertible {
    let query: String?
    let cookie: String?
    let header: String?
    let ordered: [Language]
    let requested: String?

    init(query: String? = nil, cookie: String? = nil, header: String? = nil, _ ordered: [Language], requested: String?) {
        self.query = query
        self.cookie = cookie
        self.header = header
        self.ordered = ordered
        self.requested = requested
    }

    var testDescription: String {
        "lang=\(query ?? "nil") cookie=\(cookie ?? "nil") header=\(header.map { "\"\($0)\"" } ?? "nil")"
    }
}

@Suite("Language preferences")
struct LanguagePreferencesTests {
    static let cases: [PreferencesCase] = [
        .init([], requested: nil),
        .init(header: "", [], requested: nil),
        .init(header: "fr-CA,fr;q=0.9,en;q=0.8", [.fr, .en], requested: "fr"),
        .init(header: "de;q=0.5, es;q=0.9", [.es, .de], requested: "es"),
        .init(header: "en;q=0.8, fr;q=0.8", [.en, .fr], requested: "en"),
        .init(header: "fr;q=0.8, en;q=0.8", [.fr, .en], requested: "fr"),
        .init(header: "*", [], requested: nil),
        .init(header: "*, de;q=0.5", [.de], requested: "de"),
        .init(header: "fr;q=0, en", [.en], requested: "en"),
        .init(header: "fr;q=2, de", [.de], requested: "de"),
        .init(header: "fr;q=abc, es", [.es], requested: "es"),
        .init(header: "fr;q=0.5555, en;q=0.1", [.en], requested: "en"),
        .init(header: "  FR-ca ;  q=0.7 ,\tEN-us ; Q=0.3 ", [.fr, .en], requested: "fr"),
        .init(header: "DE", [.de], requested: "de"),
        .init(header: "it, fr;q=0.5", [.fr], requested: "it"),
        .init(header: "it", [], requested: "it"),
        .init(header: "zh-Hant-TW, de;q=0.1", [.de], requested: "zh"),
        .init(header: "en-US,en;q=0.9,en-GB;q=0.8", [.en], requested: "en"),
        .init(header: "es_MX, es;q=0.9, fr;q=0.8, es-ES;q=0.7", [.es, .fr], requested: "es"),
        .init(header: "de, fr, es, en", [.de, .fr, .es, .en], requested: "de"),
        .init(header: "x1, 12, fr", [.fr], requested: "fr"),
        // Query beats cookie beats header.
        .init(query: "de", cookie: "es", header: "fr", [.de, .es, .fr], requested: "de"),
        .init(cookie: "es", header: "en, fr", [.es, .en, .fr], requested: "es"),
        .init(query: "fr", header: "de", [.fr, .de], requested: "fr"),
        // An unsupported ?lang= falls through to the cookie but is still what was requested.
        .init(query: "it", cookie: "es", header: "fr", [.es, .fr], requested: "it"),
        .init(query: "it-CH", header: "de", [.de], requested: "it"),
        // Duplicates across sources are removed, keeping the strongest position.
        .init(query: "FR-be", cookie: "fr", header: "fr-CA, en, fr", [.fr, .en], requested: "fr"),
        .init(query: "en", cookie: "de", header: "de, en", [.en, .de], requested: "en"),
        // Values that are not language tags are ignored.
        .init(query: "", cookie: "de", [.de], requested: "de"),
        .init(query: "*", cookie: "es", [.es], requested: "es"),
        .init(query: "12", cookie: "", header: "es", [.es], requested: "es"),
        .init(query: "fr!", header: "de", [.de], requested: "de"),
        .init(query: "<script>", header: "de", [.de], requested: "de"),
        .init(query: "abcdefghi", header: "de", [.de], requested: "de"), // longer than 8
        .init(query: "abcdefgh", header: "de", [.de], requested: "abcdefgh"),
    ]

    @Test("preferences table", arguments: cases)
    func table(_ row: PreferencesCase) {
        let preferences = LanguagePreferences(query: row.query, cookie: row.cookie, acceptLanguage: row.header)
        #expect(preferences.ordered == row.ordered)
        #expect(preferences.requested == row.requested)
    }

    @Test("ordered never holds duplicates")
    func noDuplicates() {
        let preferences = LanguagePreferences(query: "fr", cookie: "FR", acceptLanguage: "fr, fr-CA, fr_BE, en, EN, en-US")
        #expect(preferences.ordered == [.fr, .en])
        #expect(Set(preferences.ordered).count == preferences.ordered.count)
    }

    // MARK: choose(among:productDefault:)

    @Test("the first preference the product has wins")
    func chooseFirstAvailable() {
        let preferences = LanguagePreferences(query: nil, cookie: nil, acceptLanguage: "es, de;q=0.9, fr;q=0.8")
        #expect(preferences.choose(among: [.fr, .de], productDefault: .fr) == .de)
        #expect(preferences.choose(among: [.en, .fr], productDefault: .en) == .fr)
        #expect(preferences.choose(among: Language.allCases, productDefault: .en) == .es)
        // Order of the available list does not matter, only the consumer's order.
        #expect(preferences.choose(among: [.fr, .es], productDefault: nil) == .es)
    }

    @Test("no match falls back to the product default")
    func chooseDefault() {
        let preferences = LanguagePreferences(query: nil, cookie: nil, acceptLanguage: "es, de")
        #expect(preferences.choose(among: [.fr, .en], productDefault: .fr) == .fr)
        #expect(preferences.choose(among: [], productDefault: .de) == .de)
        // The default is returned even when it is not listed as available.
        #expect(preferences.choose(among: [.en], productDefault: .fr) == .fr)
    }

    @Test("no match and no default gives English")
    func chooseEnglish() {
        let preferences = LanguagePreferences(query: "de", cookie: nil, acceptLanguage: nil)
        #expect(preferences.choose(among: [.fr, .es], productDefault: nil) == .en)
        #expect(preferences.choose(among: [], productDefault: nil) == .en)
        let nothing = LanguagePreferences(query: nil, cookie: nil, acceptLanguage: nil)
        #expect(nothing.choose(among: [.fr], productDefault: nil) == .en)
        #expect(nothing.choose(among: [.fr, .de], productDefault: .de) == .de)
    }

    @Test("cookie choice survives a header asking for something else")
    func cookieOverHeader() {
        let preferences = LanguagePreferences(query: nil, cookie: "de", acceptLanguage: "fr, en;q=0.5")
        #expect(preferences.choose(among: [.fr, .de, .en], productDefault: .en) == .de)
        #expect(preferences.choose(among: [.fr, .en], productDefault: .en) == .fr)
    }
}
