import Hummingbird
import Logging
import PostgresNIO
import SignetCore

/// The home page, and what a consumer whose QR code is damaged types on it: the serial and the check
/// code printed under the code (`GET /verify?serial=…&code=…`). The seal is found among the brands'
/// seals with that serial whose check code matches; it is then verified like a scan (channel `typed`),
/// under the same per-client rate limit.
struct TypedCodeController: Sendable {
    let database: PostgresClient
    let catalogue: CatalogueCache
    let pages: ScanController
    let renderer: PageRenderer

    func addRoutes(to router: Router<SignetRequestContext>) {
        router.get("/") { request, _ in home(request, form: [:], problems: []) }
        router.get("/verify", use: verify)
    }

    func home(_ request: Request, form: [String: String], problems: [String], status: HTTPResponse.Status = .ok) -> Response {
        let language = LanguagePreferences(request: request).choose(among: Language.allCases, productDefault: nil)
        let strings = renderer.strings(language)
        return renderer.page("home", language: language, context: [
            "languages": renderer.languageLinks(Language.allCases, current: language, query: request.uri.query),
            "form": ["serial": form["serial"] ?? "", "code": form["code"] ?? ""],
            "errors": problems.map { strings[$0] },
        ], status: status)
    }

    @Sendable func verify(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let form = [
            "serial": String((request.uri.queryParameters["serial"] ?? "").prefix(64)),
            "code": String((request.uri.queryParameters["code"] ?? "").prefix(64)),
        ]
        let serial = (form["serial"] ?? "").trimmingCharacters(in: .whitespaces)
        let code = SealCheckCode.normalized(form["code"] ?? "")
        var problems: [String] = []
        if !AI82.isValid(serial) { problems.append("typed_error_serial") }
        if code == nil { problems.append("typed_error_code") }
        guard let code, problems.isEmpty else { return home(request, form: form, problems: problems, status: .unprocessableContent) }
        try pages.checkRateLimit(request, context: context)

        let snapshot = catalogue.snapshot
        let brandIDs = Array(snapshot.brands.keys)
        let rows = try await withDatabaseDeadline(.seconds(6)) { [database] in
            var found: [(gtin: String, lot: String?)] = []
            // The (brand_id, serial) index answers `brand_id = ANY(...)` one brand at a time.
            let rows = try await database.query("""
                SELECT p.gtin, l.code FROM seals s JOIN products p ON p.id = s.product_id LEFT JOIN lots l ON l.id = s.lot_id
                WHERE s.brand_id = ANY (\(brandIDs)) AND s.serial = \(serial) LIMIT 50
                """, logger: context.logger)
            for try await (gtin, lot) in rows.decode((String, String?).self) { found.append((gtin, lot)) }
            return found
        }
        let seals = rows.compactMap { row -> DigitalLink? in
            GTIN(row.gtin).map { DigitalLink(gtin: $0, lot: row.lot, serial: serial) }
        }
        guard !seals.isEmpty else {
            return home(request, form: form, problems: ["typed_error_no_match"], status: .notFound)
        }
        // The seal whose code matches; when none does, the first is verified with the wrong code and
        // recorded as counterfeit, as a wrong token would be: the brand sees codes being guessed.
        let matching = seals.first { link in
            guard let product = snapshot.product(gtin: link.gtin.digits), let key = snapshot.brands[product.brandID]?.sealKey else {
                return false
            }
            return SealCheckCode.isValid(code, gtin: link.gtin, serial: serial, key: key)
        }
        return try await pages.page(
            link: matching ?? seals[0], query: try DigitalLinkQuery.parse(nil), typedCode: code, request: request, context: context)
    }
}
