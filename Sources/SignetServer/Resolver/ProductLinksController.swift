import Hummingbird
import SignetCore

/// The portal's page of a product's resolver links: the brand's links for the product, its lots and
/// serials, which of them is the default, and the links Signet adds by itself.
struct ProductLinksController: Sendable {
    let catalogue: CatalogueStore
    let links: ProductLinkStore
    let page: PortalPage
    /// Signet's public root, for the product's Digital Link URI and linkset.
    let root: String

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(":gtin/links", use: list)
        group.post(":gtin/links", use: create)
        group.get(":gtin/links/:id", use: show)
        group.post(":gtin/links/:id", use: update)
        group.post(":gtin/links/:id/delete", use: delete)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        let product = try await load(context)
        return try await renderList(request, context: context, product: product, form: [:], problems: [],
                                    saved: request.uri.queryParameters["saved"] != nil)
    }

    @Sendable func create(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        let product = try await load(context)
        var request = request
        let fields = try await PortalForm.fields(&request)
        do {
            let link = try Self.input(fields).validated()
            _ = try await links.create(
                brandID: context.manager.brandID, productID: product.id, gtin: product.gtin, link, actor: context.manager.auditActor)
        } catch let invalid as ResolverLinkInput.Invalid {
            return try await renderList(request, context: context, product: product, form: fields,
                                        problems: invalid.problems.map(\.rule.rawValue), saved: false, status: .unprocessableContent)
        }
        return Redirect(location: "/portal/products/\(product.gtin.digits)/links?saved=1").response
    }

    @Sendable func show(_ request: Request, context: PortalContext) async throws -> Response {
        let product = try await load(context)
        let stored = try await loadLink(context, product: product)
        return try renderLink(request, context: context, product: product, id: stored.id, form: Self.form(stored.link), problems: [])
    }

    @Sendable func update(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        let product = try await load(context)
        let stored = try await loadLink(context, product: product)
        var request = request
        let fields = try await PortalForm.fields(&request)
        do {
            let link = try Self.input(fields).validated()
            guard try await links.replace(
                brandID: context.manager.brandID, productID: product.id, gtin: product.gtin, id: stored.id, link,
                actor: context.manager.auditActor)
            else { throw PublicError.notFound }
        } catch let invalid as ResolverLinkInput.Invalid {
            return try renderLink(request, context: context, product: product, id: stored.id, form: fields,
                                  problems: invalid.problems.map(\.rule.rawValue), status: .unprocessableContent)
        }
        return Redirect(location: "/portal/products/\(product.gtin.digits)/links?saved=1").response
    }

    @Sendable func delete(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        let product = try await load(context)
        let stored = try await loadLink(context, product: product)
        _ = try await links.delete(
            brandID: context.manager.brandID, productID: product.id, gtin: product.gtin, id: stored.id, actor: context.manager.auditActor)
        return Redirect(location: "/portal/products/\(product.gtin.digits)/links?saved=1").response
    }

    private func load(_ context: PortalContext) async throws -> ProductRecord {
        try await catalogue.product(named: context)
    }

    private func loadLink(_ context: PortalContext, product: ProductRecord) async throws -> ProductLinkStore.StoredLink {
        guard let id = Int64(try context.parameters.require("id")), let stored = try await links.find(productID: product.id, id: id) else {
            throw PublicError.notFound
        }
        return stored
    }

    static func input(_ fields: [String: String]) -> ResolverLinkInput {
        var lot = "", serial = ""
        switch fields["level"] ?? "product" {
        case "lot": lot = fields["level_value"] ?? ""
        case "serial": serial = fields["level_value"] ?? ""
        default: break
        }
        return ResolverLinkInput(
            type: GS1LinkType.prefix + (fields["type"] ?? ""), href: fields["href"] ?? "", title: fields["title"] ?? "",
            languages: fields["languages"] ?? "", mediaType: fields["media_type"] ?? "", context: fields["context"] ?? "",
            lot: lot, serial: serial, isDefault: fields["default"] == "on")
    }

    static func form(_ link: ResolverLink) -> [String: String] {
        var form = [
            "type": link.type.name, "href": link.href, "title": link.title, "languages": link.languages.joined(separator: ", "),
            "media_type": link.mediaType ?? "", "context": link.context ?? "", "level": "product", "level_value": "",
            "default": link.isDefault ? "on" : "",
        ]
        switch link.level {
        case .product: break
        case .lot(let code): form["level"] = "lot"; form["level_value"] = code
        case .serial(let serial): form["level"] = "serial"; form["level_value"] = serial
        }
        return form
    }

    private func formContext(_ form: [String: String], strings: LocalizedStrings) -> [String: Any] {
        let type = form["type"] ?? "pip", level = form["level"] ?? "product"
        return [
            // Not `languages`: an empty value would let mustache find the page's language switcher instead.
            "href": form["href"] ?? "", "title": form["title"] ?? "", "languageTags": form["languages"] ?? "",
            "media_type": form["media_type"] ?? "", "context": form["context"] ?? "", "level_value": form["level_value"] ?? "",
            "default": form["default"] == "on",
            "types": GS1LinkType.editable.map { ["value": $0.name, "label": $0.compact, "selected": $0.name == type] as [String: Any] },
            "levels": ["product", "lot", "serial"].map {
                ["value": $0, "label": strings["portal_link_level_\($0)"], "selected": $0 == level] as [String: Any]
            },
        ]
    }

    private func renderList(
        _ request: Request, context: PortalContext, product: ProductRecord, form: [String: String], problems: [String], saved: Bool,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let stored = try await links.list(productID: product.id)
        let uri = root + "/01/" + product.gtin.digits
        return page.render("product-links", request: request, session: context.session, active: .products, context: [
            "canEdit": context.manager.role.allows(.editCatalogue),
            "saved": saved,
            "errors": problems.map { strings[$0] },
            "product": ["name": product.name(in: language), "gtin": product.gtin.digits, "uri": uri, "linkset": uri + "?linkType=linkset"],
            "ownPip": !stored.contains { $0.link.level == .product && $0.link.type == .pip },
            "ownDefault": !stored.contains { $0.link.level == .product && $0.link.isDefault }
                && !stored.contains { $0.link.level == .product && $0.link.type == .pip },
            "links": stored.map { entry in
                let link = entry.link
                return [
                    "url": "/portal/products/\(product.gtin.digits)/links/\(entry.id)",
                    "deleteURL": "/portal/products/\(product.gtin.digits)/links/\(entry.id)/delete",
                    "level": Self.levelText(link.level, strings: strings), "type": link.type.compact, "title": link.title,
                    "href": link.href, "languages": link.languages.joined(separator: ", "), "mediaType": link.mediaType ?? "",
                    "context": link.context ?? "", "isDefault": link.isDefault,
                ] as [String: Any]
            },
            "form": formContext(form.isEmpty ? ["type": "pip", "level": "product"] : form, strings: strings),
        ], status: status)
    }

    private func renderLink(
        _ request: Request, context: PortalContext, product: ProductRecord, id: Int64, form: [String: String], problems: [String],
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        return page.render("product-link", request: request, session: context.session, active: .products, context: [
            "canEdit": context.manager.role.allows(.editCatalogue),
            "errors": problems.map { strings[$0] },
            "product": ["name": product.name(in: language), "gtin": product.gtin.digits],
            "action": "/portal/products/\(product.gtin.digits)/links/\(id)",
            "deleteURL": "/portal/products/\(product.gtin.digits)/links/\(id)/delete",
            "form": formContext(form, strings: strings),
        ], status: status)
    }

    static func levelText(_ level: ResolverLink.Level, strings: LocalizedStrings) -> String {
        switch level {
        case .product: strings["portal_link_level_product"]
        case .lot(let code): strings["portal_link_level_lot"] + " " + code
        case .serial(let serial): strings["portal_link_level_serial"] + " " + serial
        }
    }
}
