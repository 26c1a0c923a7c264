import Hummingbird
import SignetCore

/// The owners' audit log page: who created, changed or deleted what, and when.
struct AuditController: Sendable {
    let events: AuditEventStore
    let page: PortalPage

    static let pageSize = 100

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: list)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.readAuditLog)
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let query = request.uri.queryParameters
        let family = query["family"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let before = query["before"].flatMap { Int64(String($0)) }
        let brandID = context.manager.brandID
        let rows = try await events.events(brandID: brandID, family: family, before: before, limit: Self.pageSize + 1)
        let shown = rows.prefix(Self.pageSize)
        var nextURL = ""
        if rows.count > Self.pageSize, let last = shown.last {
            nextURL = "/portal/audit?" + (family.map { "family=\(PercentEncoding.encodeQueryValue($0))&" } ?? "") + "before=\(last.id)"
        }
        return page.render("audit", request: request, session: context.session, active: .audit, context: [
            "families": try await events.families(brandID: brandID).map { ["code": $0, "selected": $0 == family] as [String: Any] },
            "events": shown.map { event in
                [
                    "time": event.occurredAt,
                    "actor": event.actorName,
                    "actorKind": strings["portal_actor_\(event.actorKind)"],
                    "action": event.action,
                    "subject": event.subject,
                    "details": event.details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " · "),
                ] as [String: Any]
            },
            "continued": before != nil,
            "firstURL": "/portal/audit" + (family.map { "?family=\(PercentEncoding.encodeQueryValue($0))" } ?? ""),
            "nextURL": nextURL,
        ])
    }
}
