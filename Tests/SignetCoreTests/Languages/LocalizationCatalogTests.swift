import Testing
import SignetCore

@Suite("Localization catalog")
struct LocalizationCatalogTests {
    static func complete() -> [Language: [String: String]] {
        [
            .en: ["hello": "Hello", "bye": "Bye"],
            .fr: ["hello": "Bonjour", "bye": "Au revoir"],
            .de: ["hello": "Hallo", "bye": "Tschüss"],
            .es: ["hello": "Hola", "bye": "Adiós"],
        ]
    }

    @Test("a complete catalog loads and serves each language")
    func loads() throws {
        let catalog = try LocalizationCatalog(tables: Self.complete())
        #expect(catalog.strings(.fr)["hello"] == "Bonjour")
        #expect(catalog.strings(.de)["bye"] == "Tschüss")
        #expect(catalog.strings(.es).language == .es)
        for language in Language.allCases {
            #expect(catalog.strings(language).table == Self.complete()[language])
        }
    }

    @Test("empty tables are consistent")
    func empty() throws {
        let catalog = try LocalizationCatalog(tables: Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, [:]) }))
        #expect(catalog.strings(.en)["x"] == "x")
    }

    @Test("a missing language is reported", arguments: Language.allCases)
    func missingLanguage(_ language: Language) {
        var tables = Self.complete()
        tables[language] = nil
        #expect(throws: LocalizationError.missingLanguage(language)) { try LocalizationCatalog(tables: tables) }
    }

    @Test("no tables at all reports English first")
    func nothing() {
        #expect(throws: LocalizationError.missingLanguage(.en)) { try LocalizationCatalog(tables: [:]) }
    }

    @Test("a key missing from a translation is reported")
    func missingKey() {
        var tables = Self.complete()
        tables[.de]?["bye"] = nil
        #expect(throws: LocalizationError.inconsistentKeys(.de, ["bye"])) { try LocalizationCatalog(tables: tables) }
    }

    @Test("a key only in a translation is reported")
    func extraKey() {
        var tables = Self.complete()
        tables[.es]?["extra"] = "Extra"
        #expect(throws: LocalizationError.inconsistentKeys(.es, ["extra"])) { try LocalizationCatalog(tables: tables) }
    }

    @Test("both directions are reported together, sorted")
    func bothDirections() {
        var tables = Self.complete()
        tables[.fr]?["hello"] = nil
        tables[.fr]?["zeta"] = "z"
        tables[.fr]?["alpha"] = "a"
        #expect(throws: LocalizationError.inconsistentKeys(.fr, ["alpha", "hello", "zeta"])) { try LocalizationCatalog(tables: tables) }
    }

    @Test("a key missing from English is reported against every other language, the first one first")
    func missingFromEnglish() {
        var tables = Self.complete()
        tables[.en]?["bye"] = nil
        #expect(throws: LocalizationError.inconsistentKeys(.fr, ["bye"])) { try LocalizationCatalog(tables: tables) }
    }

    @Test("a missing language is found before a later inconsistency")
    func orderOfChecks() {
        var tables = Self.complete()
        tables[.es]?["extra"] = "x"
        tables[.de] = nil
        #expect(throws: LocalizationError.missingLanguage(.de)) { try LocalizationCatalog(tables: tables) }
    }

    @Test("error descriptions")
    func descriptions() {
        #expect(LocalizationError.missingLanguage(.de).description == "no strings for language de")
        #expect(LocalizationError.inconsistentKeys(.fr, ["a", "b"]).description == "fr differs from en on keys: a, b")
    }
}
