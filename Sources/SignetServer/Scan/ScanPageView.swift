import Hummingbird
import SignetCore

/// The page answering a seal scan, built from the scan statement's outcome.
struct ScanPageView {
    let renderer: PageRenderer
    let outcome: ScanOutcome
    let gtin: GTIN
    let serial: String
    /// The request's query, for the language switcher's links.
    let query: String?

    func render() -> Response {
        let page = ScanPage(renderer: renderer, language: outcome.language)
        var context: [String: Any] = [
            "verdict": page.verdictContext(outcome.verdict, outcome: outcome),
            "serial": serial,
            "loyalty": outcome.verdict == .genuineFirst,
        ]
        var languages = Language.allCases
        if outcome.verdict.showsProduct, let product = outcome.product {
            context["product"] = page.productContext(product, gtin: gtin)
            languages = product.languages
            if let lot = outcome.lot {
                context["lot"] = page.lotContext(lot)
                if outcome.verdict == .recalled, let notice = lot.recallNotice { context["recallNotice"] = notice }
            }
        }
        context["reportURL"] = page.reportURL(email: outcome.supportEmail, gtin: gtin, serial: serial)
        context["languages"] = renderer.languageLinks(languages, current: outcome.language, query: query)
        return renderer.page("scan", language: outcome.language, context: context)
    }
}
