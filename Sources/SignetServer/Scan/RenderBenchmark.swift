import SignetCore

/// Renders a typical genuine scan page many times: the pure rendering cost,
/// without HTTP or the database (`signet bench render`), once rendering the
/// whole page every time and once filling a reused skeleton as scans do.
public enum RenderBenchmark {
    public struct Result: Sendable {
        /// Per page, rendering everything.
        public var wholeMicroseconds: Double
        /// Per page, as scans render it: the page's skeleton for this product,
        /// lot, language and verdict taken from a `RenderCache`, its holes filled.
        public var reusedMicroseconds: Double
        public var bytes: Int
    }

    public static func run(resourcesDirectory: String, iterations: Int) async throws -> Result {
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
        let view = ScanPageView(renderer: renderer, outcome: outcome, gtin: gtin, serial: "H00001", query: "t=03F08W4hI5A4j74R")
        let skeletons = RenderCache<ScanPageSkeleton.Key, ScanPageSkeleton>(capacity: 1)
        let key = ScanPageSkeleton.Key(productID: 1, lotID: 1, language: .fr, verdict: .genuineSeen)

        var bytes = 0
        let whole = measure(iterations) { bytes = view.render().body.contentLength ?? 0 }
        let reused = measure(iterations) {
            let skeleton = skeletons.value(for: key, version: 1) { view.skeleton(productHTML: nil) }
            bytes = renderer.response(skeleton.filled(view.perScan), language: .fr).body.contentLength ?? 0
        }
        return Result(wholeMicroseconds: whole, reusedMicroseconds: reused, bytes: bytes)
    }

    private static func measure(_ iterations: Int, _ body: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure { for _ in 0..<iterations { body() } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds * 1e6 / Double(iterations)
    }
}
