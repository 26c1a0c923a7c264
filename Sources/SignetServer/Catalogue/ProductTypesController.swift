import Hummingbird
import SignetCore

/// The portal's product types page: list, create, rename in each language.
struct ProductTypesController: Sendable {
    let productTypes: ProductTypeStore
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: list)
        group.post(use: create)
        group.post(":code", use: rename)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        try await render(request, context: context, form: [:], problems: [], saved: request.uri.queryParameters["saved"] != nil)
    }

    @Sendable func create(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        guard !context.manager.access.isRestricted else { throw PublicError.forbidden }
        var request = request
        let fields = try await PortalForm.fields(&request)
        let code = (fields["code"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var problems: [String] = []
        if !ProductTypeStore.isValidCode(code) { problems.append("portal_error_product_type_code") }
        let (names, nameProblems) = Self.names(fields, prefix: "name_")
        problems += nameProblems
        var status = HTTPResponse.Status.unprocessableContent
        if problems.isEmpty {
            do {
                try await productTypes.create(brandID: context.manager.brandID, actor: context.manager.auditActor, code: code, names: names)
                return Redirect(location: "/portal/product-types?saved=1").response
            } catch let error as CatalogueError {
                problems.append(error.messageKey)
                status = .conflict
            }
        }
        return try await render(request, context: context, form: fields, problems: problems, saved: false, status: status)
    }

    @Sendable func rename(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        guard !context.manager.access.isRestricted else { throw PublicError.forbidden }
        var request = request
        let fields = try await PortalForm.fields(&request)
        let code = try context.parameters.require("code")
        let (names, problems) = Self.names(fields, prefix: "name_")
        if problems.isEmpty {
            do {
                try await productTypes.rename(brandID: context.manager.brandID, actor: context.manager.auditActor, code: code, names: names)
                return Redirect(location: "/portal/product-types?saved=1").response
            } catch CatalogueError.productTypeNotFound {
                throw PublicError.notFound
            }
        }
        return try await render(request, context: context, form: [:], problems: problems, saved: false, status: .unprocessableContent)
    }

    /// The names typed per language; at least one, none over 100 characters.
    static func names(_ fields: [String: String], prefix: String) -> ([String: String], [String]) {
        var names: [String: String] = [:]
        var problems: [String] = []
        for language in Language.allCases {
            let name = (fields["\(prefix)\(language.rawValue)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if name.count > 100 { problems.append("portal_error_too_long") }
            if !name.isEmpty { names[language.rawValue] = name }
        }
        if names.isEmpty { problems.append("portal_error_name_required") }
        return (names, problems.uniqued())
    }

    private func render(
        _ request: Request, context: PortalContext, form: [String: String], problems: [String], saved: Bool,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let types = try await productTypes.list(brandID: context.manager.brandID, access: context.manager.access)
        func nameFields(_ names: [String: String], typeCode: String = "new") -> [[String: Any]] {
            Language.allCases.map { code in
                ["code": code.rawValue, "fieldID": "name_\(typeCode)_\(code.rawValue)",
                 "languageName": page.renderer.strings(code)["language_name"], "value": names[code.rawValue] ?? ""]
            }
        }
        return page.render("product-types", request: request, session: context.session, active: .products, context: [
            "canEdit": context.manager.role.allows(.editCatalogue) && !context.manager.access.isRestricted,
            "saved": saved,
            "errors": problems.map { strings[$0] },
            "form": ["code": form["code"] ?? ""],
            "newNames": nameFields(form.reduce(into: [:]) { names, field in
                if field.key.hasPrefix("name_") { names[String(field.key.dropFirst(5))] = field.value }
            }),
            "types": types.map { type in
                [
                    "code": type.code,
                    "name": type.name(in: language),
                    "productCount": type.productCount,
                    "productsURL": "/portal/products?type=\(type.code)",
                    "names": nameFields(type.names, typeCode: type.code),
                ] as [String: Any]
            },
        ], status: status)
    }
}
