import Hummingbird
import SignetCore

/// The portal's product pages: list, create, edit texts per language, lots and recalls.
struct ProductsController: Sendable {
    let catalogue: CatalogueStore
    let productTypes: ProductTypeStore
    let images: ProductImageStore
    let page: PortalPage

    func addRoutes(to group: RouterGroup<PortalContext>) {
        group.get(use: list)
        group.post(use: create)
        group.get("new", use: showNew)
        group.get(":gtin", use: show)
        group.post(":gtin", use: update)
        group.post(":gtin/image", use: uploadImage)
        group.post(":gtin/image/remove", use: removeImage)
        group.post(":gtin/lots", use: createLot)
        group.post(":gtin/lots/:lot/recall", use: recallLot)
        group.post(":gtin/lots/:lot/release", use: releaseLot)
    }

    @Sendable func list(_ request: Request, context: PortalContext) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let typeFilter = request.uri.queryParameters["type"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let types = try await productTypes.list(brandID: context.manager.brandID, access: context.manager.access)
        let typeNames = Dictionary(uniqueKeysWithValues: types.map { ($0.code, $0.name(in: language)) })
        let products = try await catalogue.products(brandID: context.manager.brandID, access: context.manager.access, productType: typeFilter)
        return page.render("products", request: request, session: context.session, active: .products, context: [
            "canEdit": context.manager.role.allows(.editCatalogue),
            "typeOptions": Self.typeOptions(types, selected: typeFilter, language: language),
            "filtered": typeFilter != nil,
            "products": products.map { product in
                [
                    "gtin": product.gtin,
                    "sku": product.sku ?? "",
                    "type": product.productType.flatMap { typeNames[$0] } ?? "",
                    "name": product.name(in: language),
                    "languages": product.names.keys.sorted().joined(separator: ", "),
                    "lots": product.lotCount,
                    "recalled": product.recalledLotCount,
                    "url": "/portal/products/\(product.gtin)",
                ] as [String: Any]
            },
        ])
    }

    @Sendable func showNew(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        let language = PortalPage.language(for: request, manager: context.manager)
        return try await renderNew(request, context: context, form: ["default_language": language.rawValue], problems: [])
    }

    @Sendable func create(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        var request = request
        let fields = try await PortalForm.fields(&request)
        var problems: [String] = []
        let gtin = GTIN((fields["gtin"] ?? "").trimmingCharacters(in: .whitespaces))
        if gtin == nil { problems.append("portal_error_gtin_invalid") }
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 200 { problems.append("portal_error_name_required") }
        let sku = (fields["sku"] ?? "").trimmingCharacters(in: .whitespaces)
        if sku.count > 64 { problems.append("portal_error_sku_invalid") }
        let language = Language(rawValue: fields["default_language"] ?? "") ?? .en
        let productType = fields["product_type"].flatMap { $0.isEmpty ? nil : $0 }
        if let gtin, problems.isEmpty {
            do {
                try await catalogue.createProduct(
                    brandID: context.manager.brandID, access: context.manager.access, actor: context.manager.auditActor, gtin: gtin,
                    sku: sku.isEmpty ? nil : sku, productType: productType, defaultLanguage: language,
                    translations: [language: ProductTexts(name: name)])
                return Redirect(location: "/portal/products/\(gtin.digits)?saved=1").response
            } catch let error as CatalogueError {
                problems.append(error.messageKey)
            }
        }
        let status: HTTPResponse.Status = problems.contains("portal_error_gtin_taken") ? .conflict
            : problems.contains("portal_error_outside_access") ? .forbidden : .unprocessableContent
        return try await renderNew(request, context: context, form: fields, problems: problems, status: status)
    }

    @Sendable func show(_ request: Request, context: PortalContext) async throws -> Response {
        let product = try await load(context)
        return try await renderEditor(
            request, context: context, product: product, problems: [],
            saved: request.uri.queryParameters["saved"] != nil)
    }

    @Sendable func update(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        var request = request
        let fields = try await PortalForm.fields(&request)
        var product = try await load(context)
        let form = ProductForm(fields: fields)
        var problems = form.problems
        var status: HTTPResponse.Status = .unprocessableContent
        if problems.isEmpty {
            do {
                try await catalogue.updateProduct(
                    brandID: context.manager.brandID, actor: context.manager.auditActor, gtin: product.gtin,
                    version: form.version ?? -1, sku: form.sku, productType: form.productType,
                    defaultLanguage: form.defaultLanguage, translations: form.translations)
                return Redirect(location: "/portal/products/\(product.gtin.digits)?saved=1").response
            } catch let error as CatalogueError {
                problems.append(error.messageKey)
                status = error == .staleVersion ? .conflict : .unprocessableContent
            }
        }
        // Show what the manager typed, against the version they started from,
        // except after a conflict: then the current version, so saving again is deliberate.
        if status != .conflict {
            product.sku = form.sku
            product.productType = form.productType
            product.defaultLanguage = form.defaultLanguage
            product.translations = form.translations
            product.version = form.version ?? product.version
        }
        return try await renderEditor(request, context: context, product: product, problems: problems, saved: false, status: status)
    }

    /// Takes a PNG, JPEG or WebP photo of at most 2 MB, told by its bytes.
    @Sendable func uploadImage(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        var request = request
        guard PortalUpload.isMultipart(request) else { throw PublicError.badRequest }
        let upload = try await PortalUpload.read(&request)
        let product = try await load(context)
        guard let file = upload.files["image"], file.bytes.readableBytes > 0 else {
            return try await renderEditor(request, context: context, product: product, problems: ["portal_image_missing"], saved: false, status: .unprocessableContent)
        }
        guard file.bytes.readableBytes <= ImageFormat.maximumBytes else {
            return try await renderEditor(request, context: context, product: product, problems: ["portal_image_too_large"], saved: false, status: .contentTooLarge)
        }
        let bytes = Array(file.bytes.readableBytesView)
        guard let format = ImageFormat(detecting: bytes) else {
            return try await renderEditor(request, context: context, product: product, problems: ["portal_image_format"], saved: false, status: .unsupportedMediaType)
        }
        _ = try await images.attach(brandID: context.manager.brandID, actor: context.manager.auditActor, gtin: product.gtin, bytes: bytes, format: format)
        return Redirect(location: "/portal/products/\(product.gtin.digits)?saved=1").response
    }

    @Sendable func removeImage(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        let product = try await load(context)
        try await images.detach(brandID: context.manager.brandID, actor: context.manager.auditActor, gtin: product.gtin)
        return Redirect(location: "/portal/products/\(product.gtin.digits)?saved=1").response
    }

    @Sendable func createLot(_ request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let product = try await load(context)
        var problems: [String] = []
        let code = (fields["code"] ?? "").trimmingCharacters(in: .whitespaces)
        if !AI82.isValid(code) { problems.append("portal_error_lot_code_invalid") }
        func date(_ name: String) -> CalendarDate? {
            let text = (fields[name] ?? "").trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            guard let date = CalendarDate(text) else {
                problems.append("portal_error_date_invalid")
                return nil
            }
            return date
        }
        let produced = date("produced_on"), expires = date("expires_on")
        if let produced, let expires, expires < produced { problems.append("portal_error_dates_order") }
        if problems.isEmpty {
            do {
                try await catalogue.createLot(
                    brandID: context.manager.brandID, actor: context.manager.auditActor, gtin: product.gtin,
                    code: code, producedOn: produced, expiresOn: expires)
                return Redirect(location: "/portal/products/\(product.gtin.digits)?saved=1").response
            } catch let error as CatalogueError {
                problems.append(error.messageKey)
            }
        }
        return try await renderEditor(request, context: context, product: product, problems: problems.uniqued(), saved: false, status: .unprocessableContent)
    }

    @Sendable func recallLot(_ request: Request, context: PortalContext) async throws -> Response {
        try await setRecalled(true, request: request, context: context)
    }

    @Sendable func releaseLot(_ request: Request, context: PortalContext) async throws -> Response {
        try await setRecalled(false, request: request, context: context)
    }

    private func setRecalled(_ recalled: Bool, request: Request, context: PortalContext) async throws -> Response {
        try context.require(.editCatalogue)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let product = try await load(context)
        guard let lotID = Int64(try context.parameters.require("lot")),
              let lot = product.lots.first(where: { $0.id == lotID })
        else { throw PublicError.notFound }
        var notice: [String: String] = [:]
        for language in Language.allCases {
            let text = (fields["notice_\(language.rawValue)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { notice[language.rawValue] = String(text.prefix(ProductForm.maximumTextLength)) }
        }
        try await catalogue.setLotRecalled(
            brandID: context.manager.brandID, actor: context.manager.auditActor, gtin: product.gtin, code: lot.code,
            recalled: recalled, notice: notice)
        return Redirect(location: "/portal/products/\(product.gtin.digits)?saved=1").response
    }

    /// The product named in the path, of the signed-in brand; 404 for anything else.
    private func load(_ context: PortalContext) async throws -> ProductRecord {
        try await catalogue.product(named: context)
    }

    private func renderNew(
        _ request: Request, context: PortalContext, form: [String: String], problems: [String],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let selected = Language(rawValue: form["default_language"] ?? "") ?? language
        let types = try await productTypes.list(brandID: context.manager.brandID, access: context.manager.access)
        return page.render("product-new", request: request, session: context.session, active: .products, context: [
            "form": form,
            "typeOptions": Self.typeOptions(types, selected: form["product_type"], language: language),
            "errors": problems.map { strings[$0] },
            "languageOptions": Self.languageOptions(selected: selected, strings: page.renderer),
        ], status: status)
    }

    private func renderEditor(
        _ request: Request, context: PortalContext, product: ProductRecord, problems: [String], saved: Bool,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = PortalPage.language(for: request, manager: context.manager)
        let strings = page.renderer.strings(language)
        let types = try await productTypes.list(brandID: context.manager.brandID, access: context.manager.access)
        let translations: [[String: Any]] = Language.allCases.map { code in
            let texts = product.translations[code] ?? ProductTexts(name: "")
            var fields: [String: Any] = [
                "code": code.rawValue,
                "languageName": page.renderer.strings(code)["language_name"],
                "isDefault": code == product.defaultLanguage,
                "name": texts.name,
                "characteristics": Characteristic.lines(texts.characteristics),
            ]
            for (field, value) in texts.longTexts { fields[field] = value }
            return fields
        }
        let lots: [[String: Any]] = product.lots.map { lot in
            [
                "id": lot.id, "code": lot.code, "producedOn": lot.producedOn ?? "", "expiresOn": lot.expiresOn ?? "",
                "recalled": lot.status == "recalled",
                "statusLabel": strings["portal_lot_\(lot.status)"],
                "notices": Language.allCases.map { code in
                    ["code": code.rawValue, "languageName": page.renderer.strings(code)["language_name"],
                     "text": lot.recallNotice[code.rawValue] ?? ""]
                },
            ]
        }
        return page.render("product", request: request, session: context.session, active: .products, context: [
            "canEdit": context.manager.role.allows(.editCatalogue),
            "saved": saved,
            "errors": problems.map { strings[$0] },
            "product": [
                "gtin": product.gtin.digits,
                "name": product.name(in: language),
                "sku": product.sku ?? "",
                "imageURL": product.imageURL ?? "",
                "version": product.version,
                "typeOptions": Self.typeOptions(types, selected: product.productType, language: language),
                "previewURL": "/01/\(product.gtin.digits)?lang=\((product.translations[language] != nil ? language : product.defaultLanguage).rawValue)",
                "languageOptions": Self.languageOptions(selected: product.defaultLanguage, strings: page.renderer),
                "translations": translations,
                "lots": lots,
            ] as [String: Any],
        ], status: status)
    }

    private static func typeOptions(
        _ types: [ProductTypeStore.ProductType], selected: String?, language: Language
    ) -> [[String: Any]] {
        types.map { ["code": $0.code, "name": $0.name(in: language), "selected": $0.code == selected] }
    }

    private static func languageOptions(selected: Language, strings: PageRenderer) -> [[String: Any]] {
        Language.allCases.map { ["code": $0.rawValue, "name": strings.strings($0)["language_name"], "selected": $0 == selected] }
    }
}
