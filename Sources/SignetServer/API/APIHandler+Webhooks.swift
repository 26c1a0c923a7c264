import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func listWebhooks(_ input: Operations.ListWebhooks.Input) async throws -> Operations.ListWebhooks.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsRead))
        return .ok(.init(body: .json(.init(items: try await webhooks.list(brandID: client.brandID).map(Self.render)))))
    }

    func getWebhook(_ input: Operations.GetWebhook.Input) async throws -> Operations.GetWebhook.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsRead))
        return .ok(.init(body: .json(Self.render(try await webhook(input.path.id, brandID: client.brandID)))))
    }

    func createWebhook(_ input: Operations.CreateWebhook.Input) async throws -> Operations.CreateWebhook.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        let url = checkWebhookURL(body.url, into: &errors)
        let types = Self.alertTypes(body.types, into: &errors)
        let description = WebhookEndpointStore.checkedDescription(body.description)
        if description == nil { errors.append(.init(field: "description", message: "at most 200 characters, no control characters")) }
        guard errors.isEmpty, let url, let types, let description else { throw APIProblem.validation(errors) }
        do {
            let (endpoint, secret) = try await webhooks.create(
                brandID: client.brandID, url: url, description: description, alertTypes: types, actor: client.auditActor)
            return .created(.init(
                headers: .init(cacheControl: "no-store"),
                body: .json(.init(value1: Self.render(endpoint), value2: .init(secret: secret.serialized)))))
        } catch WebhookEndpointStore.Problem.noSecretKey {
            throw APIProblem.conflict("Webhooks need the server's secret key (SIGNET_SECRET_KEY) to keep their signing secrets.")
        }
    }

    func updateWebhook(_ input: Operations.UpdateWebhook.Input) async throws -> Operations.UpdateWebhook.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        let url = body.url.flatMap { checkWebhookURL($0, into: &errors) }
        let types = body.types.flatMap { Self.alertTypes($0, into: &errors) }
        let description = body.description.map { WebhookEndpointStore.checkedDescription($0) }
        if description == .some(nil) { errors.append(.init(field: "description", message: "at most 200 characters, no control characters")) }
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        guard let endpoint = try await webhooks.update(
            brandID: client.brandID, id: input.path.id, url: url, description: description ?? nil, alertTypes: types, enabled: body.enabled,
            actor: client.auditActor)
        else { throw APIProblem.notFound("No webhook \(input.path.id).") }
        return .ok(.init(body: .json(Self.render(endpoint))))
    }

    func deleteWebhook(_ input: Operations.DeleteWebhook.Input) async throws -> Operations.DeleteWebhook.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsWrite))
        guard try await webhooks.delete(brandID: client.brandID, id: input.path.id, actor: client.auditActor) else {
            throw APIProblem.notFound("No webhook \(input.path.id).")
        }
        return .noContent(.init())
    }

    func listWebhookDeliveries(_ input: Operations.ListWebhookDeliveries.Input) async throws -> Operations.ListWebhookDeliveries.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsRead))
        let endpoint = try await webhook(input.path.id, brandID: client.brandID)
        let limit = try Self.pageSize(input.query.limit)
        let items = try await webhookDeliveries.recent(brandID: client.brandID, endpointID: endpoint.id, limit: limit)
        return .ok(.init(body: .json(.init(items: items.map(Self.render)))))
    }

    func testWebhook(_ input: Operations.TestWebhook.Input) async throws -> Operations.TestWebhook.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsWrite))
        let endpoint = try await webhook(input.path.id, brandID: client.brandID)
        let brand = client.brandSlug
        guard let id = try await webhookDeliveries.enqueueTest(brandID: client.brandID, endpointID: endpoint.id, body: { messageID in
            (try? WebhookPayload.test(endpointID: endpoint.id, brand: brand, messageID: messageID)) ?? []
        }), let delivery = try await webhookDeliveries.find(brandID: client.brandID, endpointID: endpoint.id, id: id)
        else { throw APIProblem.notFound("No webhook \(input.path.id).") }
        return .accepted(.init(body: .json(Self.render(delivery))))
    }

    func redeliverWebhook(_ input: Operations.RedeliverWebhook.Input) async throws -> Operations.RedeliverWebhook.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.alertsWrite))
        let endpoint = try await webhook(input.path.id, brandID: client.brandID)
        switch try await webhookDeliveries.redeliver(
            brandID: client.brandID, endpointID: endpoint.id, id: input.path.delivery, actor: client.auditActor)
        {
        case .notFound: throw APIProblem.notFound("No delivery \(input.path.delivery) for webhook \(endpoint.id).")
        case .inFlight: throw APIProblem.conflict("The delivery is being sent right now; ask again once its attempt is recorded.")
        case .queued: break
        }
        guard let delivery = try await webhookDeliveries.find(brandID: client.brandID, endpointID: endpoint.id, id: input.path.delivery)
        else { throw APIProblem.notFound("No delivery \(input.path.delivery) for webhook \(endpoint.id).") }
        return .accepted(.init(body: .json(Self.render(delivery))))
    }

    private func webhook(_ id: Int64, brandID: Int64) async throws -> WebhookEndpointStore.Endpoint {
        guard let endpoint = try await webhooks.find(brandID: brandID, id: id) else { throw APIProblem.notFound("No webhook \(id).") }
        return endpoint
    }

    private func checkWebhookURL(_ text: String, into errors: inout [APIProblem.FieldError]) -> WebhookEndpointURL? {
        do {
            return try WebhookEndpointURL(text, allowPrivate: webhookAllowPrivate)
        } catch {
            let message = switch error {
            case .empty, .notAURL: "not a URL"
            case .tooLong: "at most \(WebhookEndpointURL.maximumLength) characters"
            case .schemeNotAllowed: webhookAllowPrivate ? "http or https only" : "https only"
            case .credentialsInURL: "no user name or password in the URL"
            case .fragment: "no #fragment"
            case .refusedAddress(let range): "refused: \(range) is not reachable by webhooks"
            }
            errors.append(.init(field: "url", message: message))
            return nil
        }
    }

    private static func alertTypes(_ given: [Components.Schemas.AlertType], into errors: inout [APIProblem.FieldError]) -> [AlertType]? {
        let types = given.compactMap { AlertType(rawValue: $0.rawValue) }
        guard !types.isEmpty else {
            errors.append(.init(field: "types", message: "at least one alert type"))
            return nil
        }
        var unique: [AlertType] = []
        for type in types where !unique.contains(type) { unique.append(type) }
        return unique
    }

    static func render(_ endpoint: WebhookEndpointStore.Endpoint) -> Components.Schemas.Webhook {
        .init(
            id: endpoint.id, url: endpoint.url, description: endpoint.description,
            types: endpoint.alertTypes.compactMap { .init(rawValue: $0.rawValue) }, enabled: endpoint.enabled,
            disabledReason: endpoint.disabledReason.flatMap { .init(rawValue: $0) },
            consecutiveFailures: endpoint.consecutiveFailures, failingSince: endpoint.failingSince, pending: endpoint.pending,
            createdAt: endpoint.createdAt)
    }

    static func render(_ delivery: WebhookDeliveryStore.Delivery) -> Components.Schemas.WebhookDelivery {
        .init(
            id: delivery.id, messageId: delivery.messageID, eventType: .init(rawValue: delivery.eventType) ?? .alert_created,
            alertId: delivery.alertID, state: .init(rawValue: delivery.state) ?? .pending, attempts: delivery.attempts,
            nextAttemptAt: delivery.state == "pending" ? delivery.nextAttemptAt : nil, createdAt: delivery.createdAt,
            finishedAt: delivery.finishedAt,
            attemptLog: delivery.log.map {
                .init(
                    attemptedAt: $0.attemptedAt, status: $0.status, error: $0.error, latencyMs: $0.latencyMilliseconds,
                    responseHead: $0.responseHead)
            })
    }
}
