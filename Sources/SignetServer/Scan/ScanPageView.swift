import Hummingbird
import SignetCore

/// The page answering a seal scan.
struct ScanPageView {
    let renderer: PageRenderer
    let outcome: ScanOutcome
    let gtin: GTIN
    let serial: String
    /// The request's query, for the language switcher's links.
    let query: String?

    /// - Parameter productHTML: the product part when the caller already has it
    ///   (see `ProductFragments`); otherwise it is rendered here.
    func render(productHTML: String? = nil) -> Response {
        let page = ScanPage(renderer: renderer, language: outcome.language)
        var context: [String: Any] = [
            "verdict": page.verdictContext(outcome.verdict, outcome: outcome),
            "serial": serial,
            "loyalty": outcome.verdict == .genuineFirst,
        ]
        var languages = Language.allCases
        if outcome.verdict.showsProduct, let product = outcome.product {
            context["productHTML"] = productHTML ?? page.productHTML(product, gtin: gtin, lot: outcome.lot)
            languages = product.languages
            if outcome.verdict == .recalled, let notice = outcome.lot?.recallNotice { context["recallNotice"] = notice }
        }
        context["reportURL"] = page.reportURL(email: outcome.supportEmail, gtin: gtin, serial: serial)
        context["languages"] = renderer.languageLinks(languages, current: outcome.language, query: query)
        return renderer.page("scan", language: outcome.language, context: context)
    }
}
