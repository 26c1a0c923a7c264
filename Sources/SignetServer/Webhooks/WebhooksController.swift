import Foundation
import Hummingbird
import SignetCore

/// `/portal/webhooks`: the brand's webhook endpoints. Editors and owners who
/// see the whole catalogue add them (the secret is shown once), change them,
/// send a test, read each delivery's attempts and deliver one again; everyone
/// else reads.
struct WebhooksController: Sendable {
    let endpoints: WebhookEndpointStore
    let deliveries: WebhookDeliveryStore
    let allowPrivate: Bool
    let page: PortalPage

    static let deliveriesShown = 50

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get(":endpoint", use: show)
        group.post(":endpoint", use: update)
        group.post(":endpoint/test", use: sendTest)
        group.post(":endpoint/delete", use: delete)
        group.post(":endpoint/deliveries/:delivery/redeliver", use: redeliver)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        try Self.requireWholeCatalogue(context)
        return try await renderList(request, context: context, values: [:], problems: [])
    }

    @Sendable func create(_ request: Request, context: PortalContext) async throws -> Response {
        try Self.requireEditor(context)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let types = Self.types(fields)
        var problems: [String] = []
        var url: WebhookEndpointURL?
        do { url = try WebhookEndpointURL(fields["url"] ?? "", allowPrivate: allowPrivate) } catch {
            problems.append(Self.localizationKey(error))
        }
        if types.isEmpty { problems.append("portal_webhook_error_types") }
        let description = WebhookEndpointStore.checkedDescription(fields["description"])
        if description == nil { problems.append("portal_webhook_error_description") }
        guard problems.isEmpty, let url, let description else {
            return try await renderList(request, context: context, values: fields, problems: problems, status: .unprocessableContent)
        }
        do {
            let (endpoint, secret) = try await endpoints.create(
                brandID: context.manager.brandID, url: url, description: description, alertTypes: types,
                actor: context.manager.auditActor)
            return try await renderEndpoint(request, context: context, endpoint: endpoint, secret: secret, status: .created)
        } catch WebhookEndpointStore.Problem.noSecretKey {
            return try await renderList(
                request, context: context, values: fields, problems: ["portal_webhook_error_no_secret_key"], status: .conflict)
        }
    }

    @Sendable func show(_ request: Request, context: PortalContext) async throws -> Response {
        try Self.requireWholeCatalogue(context)
        let endpoint = try await find(context)
        return try await renderEndpoint(request, context: context, endpoint: endpoint, secret: nil)
    }

    @Sendable func update(_ request: Request, context: PortalContext) async throws -> Response {
        try Self.requireEditor(context)
        let endpoint = try await find(context)
        var request = request
        let fields = try await PortalForm.fields(&request)
        if let enabled = fields["enabled"], fields["url"] == nil {
            _ = try await endpoints.update(
                brandID: context.manager.brandID, id: endpoint.id, url: nil, description: nil, alertTypes: nil,
                enabled: enabled == "true", actor: context.manager.auditActor)
            return Redirect(location: "/portal/webhooks/\(endpoint.id)").response
        }
        var problems: [String] = []
        var url: WebhookEndpointURL?
        do { url = try WebhookEndpointURL(fields["url"] ?? "", allowPrivate: allowPrivate) } catch {
            problems.append(Self.localizationKey(error))
        }
        let types = Self.types(fields)
        if types.isEmpty { problems.append("portal_webhook_error_types") }
        let description = WebhookEndpointStore.checkedDescription(fields["description"])
        if description == nil { problems.append("portal_webhook_error_description") }
        guard problems.isEmpty, let url, let description else {
            return try await renderEndpoint(
                request, context: context, endpoint: endpoint, secret: nil, values: fields, problems: problems,
                status: .unprocessableContent)
        }
        _ = try await endpoints.update(
            brandID: context.manager.brandID, id: endpoint.id, url: url, description: description, alertTypes: types, enabled: nil,
            actor: context.manager.auditActor)
        return Redirect(location: "/portal/webhooks/\(endpoint.id)").response
    }

    @Sendable func sendTest(_ request: Request, context: PortalContext) async throws -> Response {
        try Self.requireEditor(context)
        let endpoint = try await find(context)
        let brand = context.manager.brandSlug
        guard try await deliveries.enqueueTest(brandID: context.manager.brandID, endpointID: endpoint.id, body: { messageID in
            (try? WebhookPayload.test(endpointID: endpoint.id, brand: brand, messageID: messageID)) ?? []
        }) != nil else { throw PublicError.notFound }
        return Redirect(location: "/portal/webhooks/\(endpoint.id)").response
    }

    @Sendable func delete(_ request: Request, context: PortalContext) async throws -> Response {
        try Self.requireEditor(context)
        let endpoint = try await find(context)
        guard try await endpoints.delete(brandID: context.manager.brandID, id: endpoint.id, actor: context.manager.auditActor) else {
            throw PublicError.notFound
        }
        return Redirect(location: "/portal/webhooks").response
    }

    @Sendable func redeliver(_ request: Request, context: PortalContext) async throws -> Response {
        try Self.requireEditor(context)
        let endpoint = try await find(context)
        guard let id = Int64(try context.parameters.require("delivery")) else { throw PublicError.notFound }
        // A delivery being sent right now is left to finish; the page shows how it went.
        switch try await deliveries.redeliver(brandID: context.manager.brandID, endpointID: endpoint.id, id: id, actor: context.manager.auditActor) {
        case .queued, .inFlight: return Redirect(location: "/portal/webhooks/\(endpoint.id)").response
        case .notFound: throw PublicError.notFound
        }
    }

    private static func requireEditor(_ context: PortalContext) throws {
        try context.require(.handleAlerts)
        try requireWholeCatalogue(context)
    }

    /// Endpoints receive, and their deliveries show, alerts about every product of
    /// the brand: a user narrowed to some products neither sees nor changes them.
    private static func requireWholeCatalogue(_ context: PortalContext) throws {
        guard !context.manager.access.isRestricted else { throw PublicError.forbidden }
    }

    private func find(_ context: PortalContext) async throws -> WebhookEndpointStore.Endpoint {
        guard let id = Int64(try context.parameters.require("endpoint")),
              let endpoint = try await endpoints.find(brandID: context.manager.brandID, id: id)
        else { throw PublicError.notFound }
        return endpoint
    }

    private static func types(_ fields: [String: String]) -> [AlertType] {
        AlertType.allCases.filter { fields["type_\($0.rawValue)"] == "on" }
    }

    private static func localizationKey(_ error: WebhookEndpointURL.Problem) -> String {
        switch error {
        case .empty, .notAURL, .tooLong: "portal_webhook_error_url"
        case .schemeNotAllowed: "portal_webhook_error_https"
        case .credentialsInURL, .fragment: "portal_webhook_error_url_parts"
        case .refusedAddress: "portal_webhook_error_private"
        }
    }

    private func typeBoxes(_ strings: LocalizedStrings, chosen: Set<String>) -> [[String: Any]] {
        AlertType.allCases.map { type in
            ["code": type.rawValue, "label": strings["alert_type_\(type.rawValue)"], "checked": chosen.contains(type.rawValue)]
        }
    }

    private func renderList(
        _ request: Request, context: PortalContext, values: [String: String], problems: [String],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let rows = try await endpoints.list(brandID: context.manager.brandID)
        let chosen = values.isEmpty ? ["counterfeit"] : Set(AlertType.allCases.map(\.rawValue).filter { values["type_\($0)"] == "on" })
        return page.render("webhooks", request: request, session: context.session, active: .alerts, context: [
            "errors": problems.uniqued().map { strings[$0] },
            "canEdit": Self.canEdit(context),
            "endpoints": rows.map { endpoint in
                [
                    "id": endpoint.id, "url": endpoint.url, "description": endpoint.description,
                    "types": endpoint.alertTypes.map { strings["alert_type_\($0.rawValue)"] }.joined(separator: ", "),
                    "state": Self.state(endpoint, strings), "failing": endpoint.disabledReason == "failing",
                    "pending": endpoint.pending,
                ] as [String: Any]
            },
            "types": typeBoxes(strings, chosen: chosen),
            "form": values,
        ], status: status)
    }

    private func renderEndpoint(
        _ request: Request, context: PortalContext, endpoint: WebhookEndpointStore.Endpoint, secret: WebhookSecret?,
        values: [String: String] = [:], problems: [String] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let recent = try await deliveries.recent(brandID: context.manager.brandID, endpointID: endpoint.id, limit: Self.deliveriesShown)
        let time = Date.ISO8601FormatStyle().year().month().day().time(includingFractionalSeconds: false)
        let chosen = values.isEmpty ? Set(endpoint.alertTypes.map(\.rawValue))
            : Set(AlertType.allCases.map(\.rawValue).filter { values["type_\($0)"] == "on" })
        var response = page.render("webhook", request: request, session: context.session, active: .alerts, context: [
            "errors": problems.uniqued().map { strings[$0] },
            "canEdit": Self.canEdit(context),
            "secret": secret?.serialized ?? "",
            "endpoint": [
                "id": endpoint.id, "url": values["url"] ?? endpoint.url, "description": values["description"] ?? endpoint.description,
                "state": Self.state(endpoint, strings), "enabled": endpoint.enabled, "nextEnabled": endpoint.enabled ? "false" : "true",
                "toggle": strings[endpoint.enabled ? "portal_webhook_turn_off" : "portal_webhook_turn_on"],
                "failures": endpoint.consecutiveFailures, "pending": endpoint.pending,
            ] as [String: Any],
            "types": typeBoxes(strings, chosen: chosen),
            "deliveries": recent.map { delivery in
                [
                    "id": delivery.id, "messageID": delivery.messageID,
                    "event": delivery.alertType.map { strings["alert_type_\($0)"] } ?? strings["portal_webhook_event_test"],
                    "state": strings["portal_webhook_delivery_\(delivery.state)"], "stateCode": delivery.state,
                    "attempts": delivery.attempts, "created": delivery.createdAt.formatted(time),
                    "next": delivery.state == "pending" ? delivery.nextAttemptAt.formatted(time) : "",
                    "body": delivery.body ?? "",
                    "log": delivery.log.map { attempt in
                        [
                            "at": attempt.attemptedAt.formatted(time),
                            "status": attempt.status.map(String.init) ?? "—",
                            "ok": attempt.status.map { (200..<300).contains($0) } ?? false,
                            "error": attempt.error ?? "", "latency": "\(attempt.latencyMilliseconds) ms",
                            "head": attempt.responseHead ?? "",
                        ] as [String: Any]
                    },
                ] as [String: Any]
            },
        ], status: status)
        if secret != nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    private static func canEdit(_ context: PortalContext) -> Bool {
        context.manager.role.allows(.handleAlerts) && !context.manager.access.isRestricted
    }

    private static func state(_ endpoint: WebhookEndpointStore.Endpoint, _ strings: LocalizedStrings) -> String {
        if endpoint.enabled { return strings["portal_webhook_on"] }
        return strings[endpoint.disabledReason == "failing" ? "portal_webhook_off_failing" : "portal_webhook_off"]
    }
}
