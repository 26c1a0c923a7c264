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

    /// What differs between two scans with the same product, lot, language and
    /// verdict: the holes of a `ScanPageSkeleton`.
    struct PerScan: Sendable {
        var detail: String
        var serial: String
        /// See `PageRenderer.queryPrefix(_:)`.
        var queryPrefix: String
        var reportURL: String?
        var claimToken: String?
    }

    var perScan: PerScan {
        let page = ScanPage(renderer: renderer, language: outcome.language)
        return PerScan(
            detail: page.verdictDetail(outcome.verdict, outcome: outcome),
            serial: serial,
            queryPrefix: PageRenderer.queryPrefix(query),
            reportURL: outcome.reportFormURL ?? page.reportURL(email: outcome.supportEmail, gtin: gtin, serial: serial),
            claimToken: outcome.claimToken)
    }

    /// The whole page rendered with mustache.
    /// - Parameter productHTML: the product article when the caller already has
    ///   it (see `RenderCache`); otherwise it is rendered here.
    func render(productHTML: String? = nil) -> Response {
        renderer.response(ByteBuffer(string: html(productHTML: productHTML, perScan: perScan)), language: outcome.language)
    }

    /// This page with holes that any scan with the same product, lot, language
    /// and verdict fills with its own `PerScan`.
    func skeleton(productHTML: String?) -> ScanPageSkeleton {
        let markers = PerScan(
            detail: ScanPageSkeleton.Hole.detail.marker,
            serial: ScanPageSkeleton.Hole.serial.marker,
            queryPrefix: ScanPageSkeleton.Hole.queryPrefix.marker,
            reportURL: perScan.reportURL == nil ? nil : ScanPageSkeleton.Hole.reportURL.marker,
            claimToken: perScan.claimToken == nil ? nil : ScanPageSkeleton.Hole.claimToken.marker)
        return ScanPageSkeleton(rendered: html(productHTML: productHTML, perScan: markers))
    }

    /// The whole page with mustache, the values of one scan given.
    func html(productHTML: String?, perScan: PerScan) -> String {
        let page = ScanPage(renderer: renderer, language: outcome.language)
        var verdict = page.verdictContext(outcome.verdict, outcome: outcome)
        verdict["detail"] = perScan.detail
        var context: [String: Any] = [
            "verdict": verdict,
            "serial": perScan.serial,
        ]
        if let points = outcome.claimPoints, let token = perScan.claimToken {
            context["claim"] = [
                "token": token,
                "action": renderer.strings(outcome.language).format("loyalty_action", ["points": String(points)]),
            ]
        }
        var languages = Language.allCases
        if outcome.verdict.showsProduct, let product = outcome.product {
            context["productHTML"] = productHTML ?? page.productHTML(product, gtin: gtin, lot: outcome.lot)
            languages = product.languages
            if outcome.verdict == .recalled, let notice = outcome.recallNotice { context["recallNotice"] = notice }
        }
        context["reportURL"] = perScan.reportURL
        context["languages"] = renderer.languageLinks(languages, current: outcome.language, queryPrefix: perScan.queryPrefix)
        return renderer.html("scan", language: outcome.language, context: context)
    }
}
