import Foundation
import Hummingbird
import SignetCore

/// Owners create API keys for their integrations (shown once) and revoke them.
struct APIKeysController: Sendable {
    let keys: APIKeyStore
    let accessOptions: ProductAccessOptions
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: list)
        group.post(use: create)
        group.post(":key/revoke", use: revoke)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageAPIKeys)
        return try await render(request, context: context)
    }

    @Sendable func create(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageAPIKeys)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let scopes = APIKeyScope.allCases.filter { fields["scope_\($0.rawValue)"] != nil }
        var problems: [String] = []
        if scopes.isEmpty { problems.append("portal_error_scopes") }
        var expiresAt: Date?
        if let text = fields["expires_in_days"], !text.isEmpty {
            if let days = Int(text), (1...3650).contains(days) {
                expiresAt = Date().addingTimeInterval(Double(days) * 86_400)
            } else {
                problems.append("portal_error_expiry")
            }
        }
        if problems.isEmpty {
            do {
                let key = try await keys.create(
                    brandSlug: context.manager.brandSlug, name: fields["name"] ?? "", scopes: scopes, expiresAt: expiresAt,
                    access: ProductAccessGrant.fromForm(fields), actor: context.manager.auditActor)
                return try await render(request, context: context, created: key)
            } catch AccountError.keyNameTaken {
                problems.append("portal_error_key_name_taken")
            } catch AccountError.invalidName {
                problems.append("portal_error_key_name")
            } catch AccountError.unknownProductType, AccountError.unknownProduct {
                problems.append("portal_error_access_unknown")
            }
        }
        return try await render(request, context: context, problems: problems, status: .unprocessableContent)
    }

    @Sendable func revoke(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageAPIKeys)
        guard let id = Int64(try context.parameters.require("key")),
              try await keys.revoke(brandID: context.manager.brandID, keyID: id, actor: context.manager.auditActor)
        else { throw PublicError.notFound }
        return Redirect(location: "/portal/keys").response
    }

    private func render(
        _ request: Request, context: PortalContext, created: String? = nil, problems: [String] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let list = try await keys.list(brandID: context.manager.brandID)
        let choices = try await accessOptions.load(brandID: context.manager.brandID)
        return page.render("keys", request: request, session: context.session, active: .keys, context: [
            "accessBoxes": ProductAccessOptions.context(choices, grant: nil, prefix: "new-key", language: language),
            "keys": list.map { key in
                [
                    "access": ProductAccessOptions.summary(key.access, choices: choices, strings: strings, language: language),
                    "id": key.id, "name": key.name, "prefix": key.prefix, "scopes": key.scopes.joined(separator: ", "),
                    "created": key.createdAt, "lastUsed": key.lastUsedAt ?? strings["portal_never"],
                    "expires": key.expiresAt ?? strings["portal_never"], "revoked": key.revoked,
                ] as [String: Any]
            },
            "scopes": APIKeyScope.allCases.map { ["code": $0.rawValue] },
            "created": created ?? "",
            "errors": problems.map { strings[$0] },
        ], status: status)
    }
}
