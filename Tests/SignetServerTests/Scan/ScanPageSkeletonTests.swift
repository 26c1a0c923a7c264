import Foundation
import SignetCore
@testable import SignetServer
import Testing

/// Scans fill a page rendered once with holes; the result must be exactly the
/// page mustache renders for that scan, escaping included.
@Suite("Scan page skeletons")
struct ScanPageSkeletonTests {
    static let product = ProductText(
        brandName: "Maison <Aurore>", imageURL: "/media/products/a.png", languages: [.en, .fr],
        name: "Miel & \"lavande\"", description: "Doux.", origin: "Provence", composition: "Miel",
        warnings: "Pas avant 12 mois.", hazards: "H1\nH2", allergens: "", instructions: "",
        characteristics: [Characteristic(name: "Poids", value: "250 g")])

    static func outcome(_ verdict: Verdict, language: Language, email: String?) -> ScanOutcome {
        ScanOutcome(
            verdict: verdict, supportEmail: email, language: language, consultationID: 9,
            facts: ScanFacts(sealFound: true, tokenValid: true, sealStatus: .active, lotRecalled: verdict == .recalled, scanCount: 4),
            firstScannedOn: "2026-03-14", firstCountry: "DE", product: product,
            lot: LotFacts(code: "HL<1>", producedOn: "2026-01-02", expiresOn: nil, recallNotice: "Ne pas consommer & rapporter."))
    }

    @Test("a filled skeleton is byte for byte the page rendered for the same scan", arguments: Verdict.allCases)
    func sameBytes(verdict: Verdict) async throws {
        let renderer = try await PageRenderer.load(resourcesDirectory: TestEnvironment.packageRoot)
        let gtin = try #require(GTIN("03760123450003"))
        for language in Language.allCases {
            for email in [String?.none, "care+<x>@example.com"] {
                let outcome = Self.outcome(verdict, language: language, email: email)
                // The skeleton comes from one scan; it must serve another with other values.
                let first = ScanPageView(renderer: renderer, outcome: outcome, gtin: gtin, serial: "A1", query: "t=x")
                let skeleton = first.skeleton(productHTML: nil)
                for (serial, query) in [("H00001", "t=abc"), ("<b>&'\"", "t=a&x=<script>\"&lang=fr"), ("Z", nil)] {
                    let view = ScanPageView(renderer: renderer, outcome: outcome, gtin: gtin, serial: serial, query: query)
                    let expected = view.html(productHTML: nil, perScan: view.perScan)
                    let filled = String(buffer: skeleton.filled(view.perScan))
                    #expect(filled == expected, "\(verdict) \(language) \(email ?? "-") \(serial)")
                    #expect(!filled.contains("signethole"))
                }
            }
        }
    }
}
