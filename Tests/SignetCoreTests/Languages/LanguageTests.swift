import Testing
import SignetCore

@Suite("Language")
struct LanguageTests {
    @Test("tags match by primary subtag, case-insensitively", arguments: [
        ("fr", Language.fr), ("fr-CA", .fr), ("FR_ca", .fr), ("Fr-Latn-FR", .fr),
        ("en", .en), ("EN-us", .en), ("de-AT", .de), ("es_419", .es), ("es-", .es),
    ] as [(String, Language)])
    func matches(_ tag: String, _ expected: Language) {
        #expect(Language(tag: tag) == expected)
    }

    @Test("other tags match nothing", arguments: ["", "-", "it", "it-CH", "fra", "e", "*", "f r", "frCA", "x-fr"])
    func noMatch(_ tag: String) {
        #expect(Language(tag: tag) == nil)
    }

    @Test("order is the declaration order en, fr, de, es")
    func ordering() {
        #expect(Language.allCases == [.en, .fr, .de, .es])
        #expect([Language.es, .de, .en, .fr].sorted() == [.en, .fr, .de, .es])
        #expect(Language.en < .fr)
        #expect(!(Language.es < .de))
    }

    @Test("raw values are the ISO 639-1 codes")
    func rawValues() {
        #expect(Language.allCases.map(\.rawValue) == ["en", "fr", "de", "es"])
    }
}
