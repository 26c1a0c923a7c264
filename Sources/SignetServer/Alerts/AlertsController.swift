import Foundation
import HTTPTypes
import Hummingbird
import SignetCore

/// The portal's alert inbox: the brand's alerts newest first, filtered by
/// type, status, product, country and period; editors and owners
/// acknowledge, resolve with a note, and reopen.
struct AlertsController: Sendable {
    let alerts: AlertStore
    let catalogue: CatalogueStore
    let feed: AlertFeed
    let page: PortalPage

    static let pageSize = 50
    /// Alerts a feed reads at a time.
    static let feedPage = 200

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: list)
        group.get("feed", use: liveFeed)
        group.post(":alert/status", use: changeStatus)
    }

    /// `/portal/reports/{report}/photo`: the photo a consumer sent with a report.
    func addReportRoutes(to group: RouterGroup<PortalContext>) {
        group.get(":report/photo", use: reportPhoto)
    }

    @Sendable func reportPhoto(_ request: Request, context: PortalContext) async throws -> Response {
        guard let id = Int64(try context.parameters.require("report")),
              let photo = try await alerts.reportPhoto(brandID: context.manager.brandID, reportID: id, productIDs: context.manager.access.productIDs)
        else { throw PublicError.notFound }
        return Response(status: .ok, headers: [
            .contentType: photo.type, .cacheControl: "private, no-store", .contentDisposition: "inline",
        ], body: .init(byteBuffer: photo.bytes))
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let languageNames = AlertView.languageNames(page.renderer)
        let form = AlertFilterForm(query: request.firstQueryValues)
        let products = try await catalogue.products(brandID: context.manager.brandID, access: context.manager.access)
        let names = Dictionary(products.map { ($0.gtin, $0.name(in: language)) }, uniquingKeysWith: { first, _ in first })
        var rows: [AlertStore.Alert] = []
        if form.problems.isEmpty {
            rows = try await alerts.list(
                brandID: context.manager.brandID, form.filter(access: context.manager.access, limit: Self.pageSize + 1))
        }
        let shown = rows.prefix(Self.pageSize)
        var nextURL = ""
        if rows.count > Self.pageSize, let last = shown.last {
            nextURL = "/portal/alerts?" + [form.queryString, "cursor=\(PageCursor.encode([String(last.id)]))"]
                .filter { !$0.isEmpty }.joined(separator: "&")
        }
        let here = "/portal/alerts" + (form.queryString.isEmpty ? "" : "?" + form.queryString)
        let canHandle = context.manager.role.allows(.handleAlerts)
        return page.render("alerts", request: request, session: context.session, active: .alerts, context: [
            "errors": form.problems.uniqued().map { strings[$0] },
            "wholeCatalogue": !context.manager.access.isRestricted,
            "form": form.values,
            "filtered": !form.values.isEmpty,
            "back": here,
            "products": products.map { product in
                ["gtin": product.gtin, "name": names[product.gtin] ?? product.gtin, "selected": product.gtin == form.common.gtin?.digits]
                    as [String: Any]
            },
            "types": AlertType.allCases.map { type in
                ["code": type.rawValue, "label": strings["alert_type_\(type.rawValue)"], "selected": type == form.type] as [String: Any]
            },
            "statuses": (AlertStatus.allCases.map(\.rawValue) + ["all"]).map { code in
                ["code": code, "label": strings["alert_status_\(code)"], "selected": code == (form.values["status"] ?? "open")]
                    as [String: Any]
            },
            "alerts": shown.map { alert in
                AlertView(alert: alert, strings: strings, countries: page.renderer.countries, language: language,
                          languageNames: languageNames).context(
                    productName: names[alert.gtin] ?? alert.gtin, canHandle: canHandle)
            },
            "continued": form.before != nil,
            // New alerts are open and unfiltered: they belong at the top of the first page of open or all alerts only.
            "live": form.before == nil && form.values.keys.allSatisfy { $0 == "status" } && form.type == nil
                && (form.status == nil || form.status == .open),
            // Every-scan records belong in a live list of all alerts, not in the open view.
            "showsInformational": form.status == nil,
            "firstURL": here,
            "nextURL": nextURL,
        ], status: form.problems.isEmpty ? .ok : .unprocessableContent)
    }

    /// `status` = `acknowledged`, `resolved` (with `note`) or `open`; back to the list it came from.
    @Sendable func changeStatus(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.handleAlerts)
        guard let id = Int64(try context.parameters.require("alert")) else { throw PublicError.notFound }
        var request = request
        let fields = try await PortalForm.fields(&request)
        guard let status = AlertStatus(rawValue: fields["status"] ?? "") else { throw PublicError.badRequest }
        let note = (fields["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 2000 else { throw PublicError.badRequest }
        guard try await alerts.change(
            brandID: context.manager.brandID, id: id, to: status, note: note.isEmpty ? nil : note,
            productIDs: context.manager.access.productIDs, actor: context.manager.auditActor, userID: context.manager.userID) != nil
        else { throw PublicError.notFound }
        let back = fields["back"].flatMap { $0.hasPrefix("/portal/alerts") && !$0.contains("//") ? $0 : nil } ?? "/portal/alerts"
        return Redirect(location: back).response
    }

    /// Server-Sent Events: each new alert of the brand (that this user may
    /// see) as an `alert` event with its id, rendered in the user's language,
    /// in stream order (`AlertFeedPosition`), not id order. `Last-Event-ID`
    /// resumes after that alert; without it the feed starts with what comes next. Comment lines keep proxies from closing it; it
    /// ends after `AlertFeed.Timing.streamLifetime` and the browser reconnects.
    @Sendable func liveFeed(_ request: Request, context: PortalContext) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let manager = context.manager
        let slot = try feed.quota.acquire(brandID: manager.brandID)
        // Resumed after the alert the browser last got (in stream order, so an alert
        // that committed late is still ahead); an id the brand does not have starts afresh.
        let resumeAfter = request.headers[.lastEventID].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        let start: (position: AlertFeedPosition, alreadyThere: Set<Int64>)
        if let resumeAfter, let position = try await alerts.feedPosition(brandID: manager.brandID, alertID: resumeAfter) {
            start = (position, [])
        } else {
            start = try await alerts.feedStart(brandID: manager.brandID)
        }
        let products = try await catalogue.products(brandID: manager.brandID, access: manager.access)
        let names = Dictionary(products.map { ($0.gtin, $0.name(in: language)) }, uniquingKeysWith: { first, _ in first })
        let strings = page.renderer.strings(language)
        let (alerts, feed, countries, timing, languageNames) = (alerts, feed, page.renderer.countries, feed.timing, AlertView.languageNames(page.renderer))
        let canHandle = manager.role.allows(.handleAlerts)
        let body = ResponseBody { writer in
            defer { slot.hold() }
            let (events, continuation) = AsyncStream.makeStream(of: AlertFeed.Event.self, bufferingPolicy: .bufferingNewest(8))
            let subscription = feed.subscribe(brandID: manager.brandID, continuation)
            let ticker = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: timing.heartbeat)
                    continuation.yield(.heartbeat)
                }
            }
            let lifetime = Task {
                try await Task.sleep(for: timing.streamLifetime)
                continuation.finish()
            }
            defer {
                ticker.cancel()
                lifetime.cancel()
                feed.unsubscribe(subscription)
            }
            var position = start.position
            // Send what is already there after the resume point, then wait.
            continuation.yield(.alerts)
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            for await event in events {
                switch event {
                case .heartbeat:
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                case .alerts:
                    var page: [AlertStore.Alert]
                    repeat {
                        page = try await alerts.after(
                            brandID: manager.brandID, position: position, productIDs: manager.access.productIDs, limit: Self.feedPage)
                        for alert in page where !start.alreadyThere.contains(alert.id) {
                            let view = AlertView(
                                alert: alert, strings: strings, countries: countries, language: language, languageNames: languageNames)
                            let data = try JSONSerialization.data(
                                withJSONObject: view.context(productName: names[alert.gtin] ?? alert.gtin, canHandle: canHandle),
                                options: [.sortedKeys])
                            try await writer.write(ByteBuffer(string: "id: \(alert.id)\nevent: alert\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                        }
                        position = page.last?.feedPosition ?? position
                    } while page.count == Self.feedPage
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [
            .contentType: "text/event-stream; charset=utf-8",
            .cacheControl: "no-store",
            // Proxies that buffer responses (nginx) would hold events back.
            .init("X-Accel-Buffering")!: "no",
        ], body: body)
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
}
