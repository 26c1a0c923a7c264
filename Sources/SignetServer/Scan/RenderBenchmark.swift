import SignetCore

/// Renders a typical genuine scan page many times: the pure rendering cost,
/// without HTTP or the database (`signet bench render`).
public enum RenderBenchmark {
    public static func run(resourcesDirectory: String, iterations: Int) async throws -> (microseconds: Double, bytes: Int) {
        let renderer = try await PageRenderer.load(resourcesDirectory: resourcesDirectory)
        let gtin = GTIN("03760123450003")!
        let outcome = ScanOutcome(
            verdict: .genuineSeen, supportEmail: "care@example.com", language: .fr, consultationID: 1,
            facts: ScanFacts(sealFound: true, tokenValid: true, sealStatus: .active, lotRecalled: false, scanCount: 3),
            firstScannedOn: "2026-03-14", firstCountry: "DE",
            product: ProductText(
                brandName: "Maison Aurore", imageURL: "/img/products/honey.svg", languages: Language.allCases,
                name: "Miel de lavande", description: String(repeating: "Un miel floral et délicat. ", count: 6),
                origin: "Provence, France", composition: "100 % miel de lavande.",
                warnings: String(repeating: "Ne convient pas aux enfants de moins de 12 mois. ", count: 3),
                hazards: "", allergens: "", instructions: "À déguster dans une infusion ou sur une tartine.",
                characteristics: [Characteristic(name: "Poids net", value: "250 g"), Characteristic(name: "Récolte", value: "Été 2026")]),
            lot: LotFacts(code: "HL2406", producedOn: "2026-06-20", expiresOn: "2028-06-20", recallNotice: nil))
        let query = "t=03F08W4hI5A4j74R"
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = clock.measure {
            for _ in 0..<iterations {
                let response = ScanPageView(renderer: renderer, outcome: outcome, gtin: gtin, serial: "H00001", query: query)
                    .render()
                bytes = response.body.contentLength ?? 0
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (seconds * 1e6 / Double(iterations), bytes)
    }
}
