import Testing
import SignetCore

@Suite("Verdict")
struct VerdictTests {
    @Test("tone of each verdict", arguments: [
        (Verdict.genuineFirst, Verdict.Tone.ok),
        (.genuineSeen, .warn),
        (.inactive, .warn),
        (.counterfeit, .bad),
        (.recalled, .bad),
        (.replayed, .bad),
        (.tampered, .bad),
    ] as [(Verdict, Verdict.Tone)])
    func tone(_ verdict: Verdict, _ tone: Verdict.Tone) {
        #expect(verdict.tone == tone)
    }

    @Test("only a counterfeit and a copied NFC tap hide the product")
    func showsProduct() {
        #expect(Verdict.allCases.filter { !$0.showsProduct } == [.counterfeit, .replayed])
        // An opened seal is still the brand's product.
        #expect(Verdict.tampered.showsProduct)
        // A recall must show which product is recalled.
        #expect(Verdict.recalled.showsProduct)
        #expect(Verdict.inactive.showsProduct)
    }

    @Test("raw values are the stable codes shared with SQL and templates")
    func rawValues() {
        #expect(Verdict.allCases.map(\.rawValue) == ["genuine_first", "genuine_seen", "suspicious", "counterfeit", "recalled", "inactive", "expired",
                                                      "replayed", "tampered", "stolen", "destroyed"])
        #expect(Verdict(rawValue: "genuine_first") == .genuineFirst)
        #expect(Verdict(rawValue: "genuineFirst") == nil)
        #expect(["ok", "warn", "bad"].map(Verdict.Tone.init(rawValue:)) == [.ok, .warn, .bad])
    }

    @Test("seal statuses have stable codes")
    func sealStatus() {
        #expect(SealStatus.allCases.map(\.rawValue) == ["pending", "active", "deactivated"])
    }
}
