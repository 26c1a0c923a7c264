import Hummingbird
import SignetCore

/// Owners manage their brand's users: invite (a one-time link to pass on),
/// change roles, disable and re-enable, reset a sign-in.
struct UsersController: Sendable {
    let users: UserStore
    let accessOptions: ProductAccessOptions
    let page: PortalPage
    let publicURL: String
    /// Sends the links by e-mail too when SMTP is configured.
    let mailer: SMTPClient?

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: list)
        group.post(use: invite)
        group.post(":user/role", use: changeRole)
        group.post(":user/disable", use: disable)
        group.post(":user/enable", use: enable)
        group.post(":user/reset", use: reset)
        group.post(":user/access", use: setAccess)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageUsers)
        return try await render(request, context: context)
    }

    @Sendable func invite(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageUsers)
        var request = request
        let fields = try await PortalForm.fields(&request)
        guard let role = Role(rawValue: fields["role"] ?? "") else { throw PublicError.badRequest }
        do {
            let (user, token) = try await users.create(
                brandSlug: context.manager.brandSlug, email: fields["email"] ?? "", role: role, passwordHash: nil,
                actor: context.manager.auditActor)
            let link = PortalLinks.signIn(origin: publicURL, token: token ?? "")
            let mailed = await mail(.invitation, to: user.email, link: link, request: request, context: context)
            return try await render(request, context: context, link: (user.email, link), mailed: mailed)
        } catch let error as AccountError {
            let key = switch error {
            case .emailTaken: "portal_error_email_taken"
            default: "portal_error_email_invalid"
            }
            return try await render(request, context: context, problem: key, status: error == .emailTaken(fields["email"] ?? "") ? .conflict : .unprocessableContent)
        }
    }

    @Sendable func changeRole(_ request: Request, context: PortalContext) async throws -> Response {
        var request = request
        let fields = try await PortalForm.fields(&request)
        guard let role = Role(rawValue: fields["role"] ?? "") else { throw PublicError.badRequest }
        return try await update(request, context: context, role: role, disabled: nil)
    }

    @Sendable func disable(_ request: Request, context: PortalContext) async throws -> Response {
        try await update(request, context: context, role: nil, disabled: true)
    }

    @Sendable func enable(_ request: Request, context: PortalContext) async throws -> Response {
        try await update(request, context: context, role: nil, disabled: false)
    }

    @Sendable func reset(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageUsers)
        let userID = try Self.userID(context)
        guard let email = try await users.email(brandID: context.manager.brandID, userID: userID) else { throw PublicError.notFound }
        let token = try await users.issueSignInLink(brandID: context.manager.brandID, email: email, actor: context.manager.auditActor)
        let link = PortalLinks.signIn(origin: publicURL, token: token)
        let mailed = await mail(.reset, to: email, link: link, request: request, context: context)
        return try await render(request, context: context, link: (email, link), mailed: mailed)
    }

    /// Narrows an editor's or viewer's access to the ticked types and products; none ticked is every product.
    @Sendable func setAccess(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.manageUsers)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let userID = try Self.userID(context)
        do {
            try await users.setAccess(
                brandID: context.manager.brandID, actor: context.manager.auditActor, userID: userID, ProductAccessGrant.fromForm(fields))
        } catch AccountError.unknownUser {
            throw PublicError.notFound
        } catch AccountError.ownersSeeEverything {
            return try await render(request, context: context, problem: "portal_error_owner_access", status: .conflict)
        } catch AccountError.unknownProductType, AccountError.unknownProduct {
            return try await render(request, context: context, problem: "portal_error_access_unknown", status: .unprocessableContent)
        }
        return Redirect(location: "/portal/users").response
    }

    private func update(_ request: Request, context: PortalContext, role: Role?, disabled: Bool?) async throws -> Response {
        try context.require(.manageUsers)
        let userID = try Self.userID(context)
        do {
            try await users.update(
                brandID: context.manager.brandID, actor: context.manager.auditActor, userID: userID, role: role, disabled: disabled)
        } catch AccountError.unknownUser {
            throw PublicError.notFound
        } catch AccountError.lastOwner {
            return try await render(request, context: context, problem: "portal_error_last_owner", status: .conflict)
        }
        return Redirect(location: "/portal/users").response
    }

    /// Sends the link in the owner's portal language (the invitee has chosen none yet).
    /// - Returns: nil without SMTP; otherwise whether the relay took the message.
    private func mail(
        _ occasion: SignInLinkMail.Occasion, to email: String, link: String, request: Request, context: PortalContext
    ) async -> Bool? {
        guard let mailer else { return nil }
        let strings = page.renderer.strings(PortalPage.language(for: request, manager: context.manager))
        do {
            try await mailer.send(SignInLinkMail.message(
                occasion, to: email, brandName: context.manager.brandName, link: link, strings: strings, from: mailer.configuration.from))
            return true
        } catch {
            context.logger.warning("could not e-mail a sign-in link", metadata: ["error": "\(String(reflecting: error))"])
            return false
        }
    }

    private static func userID(_ context: PortalContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("user")) else { throw PublicError.notFound }
        return id
    }

    private func render(
        _ request: Request, context: PortalContext, link: (email: String, url: String)? = nil, mailed: Bool? = nil,
        problem: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let list = try await users.list(brandID: context.manager.brandID)
        let choices = try await accessOptions.load(brandID: context.manager.brandID)
        var pageContext: [String: Any] = [
            "users": list.map { user in
                [
                    "access": ProductAccessOptions.summary(user.access, choices: choices, strings: strings, language: language),
                    "accessBoxes": user.role == .owner ? [:] : ProductAccessOptions.context(choices, grant: user.access, prefix: "user-\(user.id)", language: language),
                    "mayNarrow": user.role != .owner,
                    "id": user.id, "email": user.email, "created": user.createdAt, "isSelf": user.id == context.manager.userID,
                    "disabled": user.disabled,
                    "state": strings[user.disabled ? "portal_user_disabled" : (user.hasPassword ? "portal_user_active" : "portal_user_invited")],
                    "roles": Role.allCases.reversed().map { ["code": $0.rawValue, "label": strings["portal_role_\($0.rawValue)"], "selected": $0 == user.role] },
                ] as [String: Any]
            },
            // Invitations start at the least privilege; owners raise it on purpose.
            "roles": Role.allCases.reversed().map {
                ["code": $0.rawValue, "label": strings["portal_role_\($0.rawValue)"], "selected": $0 == .viewer] as [String: Any]
            },
            "errors": problem.map { [strings[$0]] } ?? [],
        ]
        if let link {
            pageContext["link"] = [
                "email": link.email, "url": link.url,
                "mailed": mailed == true ? strings.format("portal_link_mailed", ["email": link.email]) : "",
                "mailFailed": mailed == false,
            ] as [String: Any]
        }
        return page.render("users", request: request, session: context.session, active: .users, context: pageContext, status: status)
    }
}
