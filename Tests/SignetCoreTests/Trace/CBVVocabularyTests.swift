import Testing
@testable import SignetCore

@Suite("CBV vocabulary")
struct CBVVocabularyTests {
    @Test("the three spellings of a CBV value are one bare word", arguments: [
        (CBVVocabulary.businessStep, "shipping", "urn:epcglobal:cbv:bizstep:shipping", "https://ref.gs1.org/cbv/BizStep-shipping"),
        (.disposition, "in_transit", "urn:epcglobal:cbv:disp:in_transit", "https://ref.gs1.org/cbv/Disp-in_transit"),
        (.sourceDestinationType, "owning_party", "urn:epcglobal:cbv:sdt:owning_party", "https://ref.gs1.org/cbv/SDT-owning_party"),
        (.errorReason, "incorrect_data", "urn:epcglobal:cbv:er:incorrect_data", "https://ref.gs1.org/cbv/ER-incorrect_data"),
        (.businessTransactionType, "desadv", "urn:epcglobal:cbv:btt:desadv", "https://ref.gs1.org/cbv/BTT-desadv"),
    ])
    func spellings(_ vocabulary: CBVVocabulary, _ word: String, _ urn: String, _ web: String) {
        #expect(vocabulary.canonical(word) == word)
        #expect(vocabulary.canonical(urn) == word)
        #expect(vocabulary.canonical(web) == word)
    }

    @Test("a company's own vocabulary is kept as sent", arguments: [
        "https://example.com/bizstep/cutting", "urn:example:bizstep:cutting", "example:cutting",
    ])
    func ownVocabulary(_ uri: String) {
        #expect(CBVVocabulary.businessStep.canonical(uri) == uri)
    }

    @Test("unknown words, and unknown values in GS1's namespaces, are refused", arguments: [
        "shiping", "Shipping", "", "urn:epcglobal:cbv:bizstep:shiping", "urn:epcglobal:cbv:disp:in_transit",
        "https://ref.gs1.org/cbv/Disp-in_transit", "https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:",
        "12:30", "https://example.com/a b", ":shipping",
    ])
    func refused(_ value: String) {
        #expect(CBVVocabulary.businessStep.canonical(value) == nil, "\(value)")
    }

    @Test("CBV 2.0 has 41 business steps and 33 dispositions")
    func listSizes() {
        #expect(CBVVocabulary.businessStep.words.count == 41)
        #expect(CBVVocabulary.disposition.words.count == 33)
        #expect(CBVVocabulary.businessStep.words.contains("sensor_reporting"))
        #expect(CBVVocabulary.disposition.words.contains("recalled"))
    }
}
