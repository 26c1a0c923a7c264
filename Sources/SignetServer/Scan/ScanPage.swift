import Foundation
import SignetCore

/// Builds the template context of a scan or product page: every sentence is
/// finished here so templates only place text.
struct ScanPage {
    let renderer: PageRenderer
    let language: Language
    let strings: LocalizedStrings

    init(renderer: PageRenderer, language: Language) {
        self.renderer = renderer
        self.language = language
        self.strings = renderer.strings(language)
    }

    func verdictContext(_ verdict: Verdict, outcome: ScanOutcome?) -> [String: Any] {
        let key = "verdict_\(verdict.rawValue)"
        return ["code": verdict.rawValue, "tone": verdict.tone.rawValue, "title": strings["\(key)_title"],
                "detail": verdictDetail(verdict, outcome: outcome)]
    }

    /// The verdict's sentence, with this scan's facts: the one part of the banner a scan fills in.
    func verdictDetail(_ verdict: Verdict, outcome: ScanOutcome?) -> String {
        let key = "verdict_\(verdict.rawValue)"
        var detail = strings["\(key)_detail"]
        if verdict == .genuineSeen, let outcome {
            let count = outcome.facts.scanCount
            let country = renderer.countries.name(of: outcome.firstCountry, in: language) ?? strings["country_unknown"]
            detail = strings.format(count == 1 ? "\(key)_detail_one" : "\(key)_detail_other", [
                "date": outcome.firstScannedOn.flatMap(strings.date(iso:)) ?? "",
                "country": country,
                "count": String(count),
            ])
        }
        if verdict == .suspicious, let outcome {
            let countries = outcome.countries.map { renderer.countries.name(of: $0, in: language) ?? strings["country_unknown"] }
            detail = strings.format("\(key)_detail", [
                "count": String(outcome.facts.scanSessions),
                "date": outcome.firstScannedOn.flatMap(strings.date(iso:)) ?? "",
                "countries": countries.joined(separator: ", "),
            ])
        }
        if verdict == .expired, let outcome {
            detail = strings.format("\(key)_detail", ["date": outcome.lotExpiresOn.flatMap(strings.date(iso:)) ?? ""])
        }
        return detail
    }

    /// The banner of a product page reached without a serial: nothing was verified.
    func unverifiedContext() -> [String: Any] {
        ["code": "unverified", "tone": "info", "title": strings["verdict_unverified_title"], "detail": strings["verdict_unverified_detail"]]
    }

    /// A seal's URL seen by a link preview agent: nothing was verified yet.
    func previewContext() -> [String: Any] {
        ["code": "preview", "tone": "info", "title": strings["verdict_preview_title"], "detail": strings["verdict_preview_detail"]]
    }

    func productContext(_ product: ProductText, gtin: GTIN) -> [String: Any] {
        var context: [String: Any] = [
            "name": product.name,
            "brandName": product.brandName,
            "gtin": gtin.digits,
        ]
        for (key, value) in [("description", product.description), ("origin", product.origin),
                             ("composition", product.composition), ("warnings", product.warnings),
                             ("allergens", product.allergens), ("instructions", product.instructions)] where !value.isEmpty {
            context[key] = value
        }
        let hazards = product.hazards.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !hazards.isEmpty { context["hazards"] = ["statements": hazards] }
        if !(hazards.isEmpty && product.warnings.isEmpty && product.allergens.isEmpty && product.instructions.isEmpty) {
            context["hasSafety"] = true
        }
        if !product.characteristics.isEmpty {
            context["characteristics"] = product.characteristics.map { ["name": $0.name, "value": $0.value] }
        }
        if let imageURL = product.imageURL, !imageURL.isEmpty { context["imageURL"] = imageURL }
        return context
    }

    /// The product article of the page, cached by `ProductFragmentKey` in a `RenderCache`.
    func productHTML(_ product: ProductText, gtin: GTIN, lot: LotFacts?) -> String {
        var context: [String: Any] = ["product": productContext(product, gtin: gtin)]
        if let lot { context["lot"] = lotContext(lot) }
        return renderer.fragment("scan-product", language: language, context: context)
    }

    func lotContext(_ lot: LotFacts) -> [String: Any] {
        var context: [String: Any] = ["code": lot.code]
        if let produced = lot.producedOn.flatMap(strings.date(iso:)) { context["producedOn"] = produced }
        if let expires = lot.expiresOn.flatMap(strings.date(iso:)) { context["expiresOn"] = expires }
        return context
    }

    /// A mailto: link to the brand's support with the seal's identifiers filled in.
    func reportURL(email: String?, gtin: GTIN, serial: String?) -> String? {
        guard let email, !email.isEmpty else { return nil }
        let subject = strings.format("report_subject", ["gtin": gtin.digits, "serial": serial ?? "-"])
        return "mailto:\(email)?subject=\(PercentEncoding.encodeQueryValue(subject))"
    }
}
