import Foundation
import Hummingbird
import SignetCore

/// The portal's consultations list: every scan of the brand's seals, newest
/// first, filtered by period, product, country and verdict, paged by cursor,
/// and exported as CSV with the same filters.
struct ConsultationsController: Sendable {
    let consultations: ConsultationStore
    let catalogue: CatalogueStore
    let page: PortalPage

    static let pageSize = 50

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get("consultations", use: list)
        group.get("consultations.csv", use: export)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let form = ConsultationFilterForm(query: request.firstQueryValues)
        let products = try await catalogue.products(brandID: context.manager.brandID, access: context.manager.access)
        let names = Dictionary(uniqueKeysWithValues: products.map {
            ($0.gtin, $0.name(in: language))
        })
        var rows: [ConsultationStore.Consultation] = []
        if form.problems.isEmpty {
            rows = try await consultations.list(brandID: context.manager.brandID, form.filter(access: context.manager.access, limit: Self.pageSize + 1))
        }
        let shown = rows.prefix(Self.pageSize)
        var nextURL = ""
        if rows.count > Self.pageSize, let last = shown.last {
            let cursor = PageCursor.encode([String(last.cursor.micros), String(last.cursor.id)])
            nextURL = "/portal/consultations?" + [form.queryString, "cursor=\(cursor)"].filter { !$0.isEmpty }.joined(separator: "&")
        }
        return page.render("consultations", request: request, session: context.session, active: .consultations, context: [
            "errors": form.problems.map { strings[$0] },
            "form": form.values,
            "filtered": !form.values.isEmpty,
            "products": products.map { product in
                ["gtin": product.gtin, "name": names[product.gtin] ?? product.gtin, "selected": product.gtin == form.gtin?.digits] as [String: Any]
            },
            "verdicts": Verdict.allCases.map { verdict in
                ["code": verdict.rawValue, "label": strings["verdict_\(verdict.rawValue)_title"], "selected": verdict == form.verdict] as [String: Any]
            },
            "consultations": shown.map { row in
                [
                    "time": Self.timestamp(row.scannedAt).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC"),
                    "product": names[row.gtin] ?? row.gtin,
                    "gtin": row.gtin,
                    "serial": row.serial ?? "",
                    "sealURL": row.sealID.map { "/portal/seals/\($0)" } ?? "",
                    "lot": row.lot ?? "",
                    "country": page.renderer.countries.name(of: row.country, in: language) ?? strings["country_unknown"],
                    "language": Language(rawValue: row.servedLanguage).map { page.renderer.strings($0)["language_name"] } ?? row.servedLanguage,
                    "verdict": strings["verdict_\(row.verdict)_title"],
                    "tone": Verdict(rawValue: row.verdict)?.tone.rawValue ?? "info",
                    "channel": row.channel,
                ] as [String: Any]
            },
            "continued": form.before != nil,
            "firstURL": "/portal/consultations" + (form.queryString.isEmpty ? "" : "?" + form.queryString),
            "nextURL": nextURL,
            "csvURL": "/portal/consultations.csv" + (form.queryString.isEmpty ? "" : "?" + form.queryString),
        ], status: form.problems.isEmpty ? .ok : .unprocessableContent)
    }

    /// Every consultation the filters select (the cursor is ignored), streamed.
    @Sendable func export(_ request: Request, context: PortalContext) async throws -> Response {
        var form = ConsultationFilterForm(query: request.firstQueryValues)
        guard form.problems.isEmpty else { throw PublicError.badRequest }
        form.before = nil
        let filter = form.filter(access: context.manager.access, limit: nil)
        let brandID = context.manager.brandID
        let consultations = consultations
        let logger = context.logger
        let body = ResponseBody { writer in
            var buffer = ByteBuffer(string: CSVRecord.line([
                "scanned_at", "gtin", "serial", "lot", "country", "served_language", "requested_language", "verdict",
                "scan_number", "channel",
            ]) + "\n")
            do {
                try await consultations.forEach(brandID: brandID, filter) { row in
                    buffer.writeString(CSVRecord.line([
                        Self.timestamp(row.scannedAt), row.gtin, row.serial ?? "", row.lot ?? "", row.country, row.servedLanguage,
                        row.requestedLanguage ?? "", row.verdict, row.scanNumber.map(String.init) ?? "", row.channel,
                    ], neutralizingFormulas: true) + "\n")
                    if buffer.readableBytes >= 1 << 16 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
            } catch {
                // The status line is gone; ending the body early is the only signal left.
                logger.error("consultation export stopped", metadata: ["error": "\(String(reflecting: error))"])
                throw error
            }
            try await writer.write(buffer)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"consultations.csv\"",
            .cacheControl: "no-store",
        ], body: body)
    }

    /// ISO 8601 in UTC to the second, as spreadsheets read it.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
