import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func listProducts(_ input: Operations.ListProducts.Input) async throws -> Operations.ListProducts.Output {
        let client = try APIClientScope.require(.productsRead)
        let limit = try Self.pageSize(input.query.limit)
        var after: String?
        if let cursor = input.query.cursor {
            guard let parts = PageCursor.decode(cursor, parts: 1) else {
                throw APIProblem.validation([.init(field: "cursor", message: "not a cursor of this list")])
            }
            after = parts[0]
        }
        let products = try await catalogue.products(
            brandID: client.brandID, access: client.access, productType: input.query.productType, after: after, limit: limit + 1)
        let page = products.prefix(limit)
        return .ok(.init(body: .json(.init(
            items: page.map { product in
                .init(gtin: product.gtin, sku: product.sku, productType: product.productType,
                      defaultLanguage: .init(rawValue: product.defaultLanguage.rawValue) ?? .en,
                      names: .init(additionalProperties: product.names))
            },
            nextCursor: products.count > limit ? page.last.map { PageCursor.encode([$0.gtin]) } : nil))))
    }

    func createProduct(_ input: Operations.CreateProduct.Input) async throws -> Operations.CreateProduct.Output {
        let client = try APIClientScope.require(.productsWrite)
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        let gtin = GTIN(body.gtin)
        if gtin == nil { errors.append(.init(field: "gtin", message: "8, 12, 13 or 14 digits with a valid check digit")) }
        let fields = Self.productFields(
            sku: body.sku, defaultLanguage: body.defaultLanguage, translations: body.translations, errors: &errors)
        guard let gtin, errors.isEmpty else { throw APIProblem.validation(errors) }
        do {
            try await catalogue.createProduct(
                brandID: client.brandID, access: client.access, actor: client.auditActor, gtin: gtin, sku: fields.sku, productType: body.productType,
                defaultLanguage: fields.defaultLanguage, translations: fields.translations)
        } catch let error as CatalogueError {
            switch error {
            case .gtinTaken: throw APIProblem.conflict("GTIN \(gtin.digits) is already registered.")
            case .skuTaken: throw APIProblem.conflict("Another product of this brand has SKU \(fields.sku ?? "").")
            case .productTypeNotFound: throw Self.unknownProductType(body.productType)
            case .outsideAccess:
                throw APIProblem(status: .forbidden, type: "outside-access", title: "Outside this key's products",
                                 detail: "This key may only create products of the product types it was granted.")
            default: throw error
            }
        }
        // The key's product list was read before this product existed; it may
        // create only in types it was granted, so the new product is its own.
        guard let product = try await catalogue.product(brandID: client.brandID, access: .all, gtin: gtin) else {
            throw APIProblem.notFound("No product with GTIN \(gtin.digits).")
        }
        return .created(.init(
            headers: .init(eTag: Self.etag(product), location: "/api/v1/products/\(gtin.digits)"),
            body: .json(Self.render(product))))
    }

    func getProduct(_ input: Operations.GetProduct.Input) async throws -> Operations.GetProduct.Output {
        let client = try APIClientScope.require(.productsRead)
        let product = try await load(client: client, gtin: try Self.gtin(input.path.gtin))
        return .ok(.init(headers: .init(eTag: Self.etag(product)), body: .json(Self.render(product))))
    }

    func replaceProduct(_ input: Operations.ReplaceProduct.Input) async throws -> Operations.ReplaceProduct.Output {
        let client = try APIClientScope.require(.productsWrite)
        let current = try await load(client: client, gtin: try Self.gtin(input.path.gtin))
        guard let ifMatch = input.headers.ifMatch else {
            throw APIProblem(status: .preconditionRequired, type: "precondition-required", title: "If-Match required",
                             detail: "Send If-Match with the ETag of the version you read.")
        }
        guard ifMatch == Self.etag(current) || ifMatch == "W/" + Self.etag(current) else {
            throw Self.preconditionFailed
        }
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        let fields = Self.productFields(sku: body.sku, defaultLanguage: body.defaultLanguage, translations: body.translations, errors: &errors)
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        do {
            try await catalogue.updateProduct(
                brandID: client.brandID, actor: client.auditActor, gtin: current.gtin, version: current.version,
                sku: fields.sku, productType: body.productType, defaultLanguage: fields.defaultLanguage,
                translations: fields.translations)
        } catch CatalogueError.staleVersion {
            throw Self.preconditionFailed
        } catch CatalogueError.productTypeNotFound {
            throw Self.unknownProductType(body.productType)
        } catch CatalogueError.skuTaken {
            throw APIProblem.conflict("Another product of this brand has SKU \(fields.sku ?? "").")
        }
        let product = try await load(client: client, gtin: current.gtin)
        return .ok(.init(headers: .init(eTag: Self.etag(product)), body: .json(Self.render(product))))
    }

    static func unknownProductType(_ code: String?) -> APIProblem {
        APIProblem.validation([.init(field: "product_type", message: "no product type \(code ?? "") in this brand")])
    }

    static let preconditionFailed = APIProblem(
        status: .preconditionFailed, type: "precondition-failed", title: "Changed since read",
        detail: "The product changed since the version named in If-Match; read it again.")

    func load(client: APIKeyStore.Client, gtin: GTIN) async throws -> ProductRecord {
        guard let product = try await catalogue.product(brandID: client.brandID, access: client.access, gtin: gtin) else {
            throw APIProblem.notFound("No product with GTIN \(gtin.digits).")
        }
        return product
    }

    /// Checks SKU and texts, adding every problem to `errors`.
    static func productFields(
        sku: String?, defaultLanguage: Components.Schemas.Language, translations: Components.Schemas.Translations,
        errors: inout [APIProblem.FieldError]
    ) -> (sku: String?, defaultLanguage: Language, translations: [Language: ProductTexts]) {
        let sku = sku?.trimmingCharacters(in: .whitespaces)
        if let sku, sku.isEmpty || sku.count > 64 { errors.append(.init(field: "sku", message: "1 to 64 characters")) }
        let language = Language(rawValue: defaultLanguage.rawValue) ?? .en
        var texts: [Language: ProductTexts] = [:]
        let given: [(Language, Components.Schemas.Texts?)] = [(.en, translations.en), (.fr, translations.fr), (.de, translations.de), (.es, translations.es)]
        for case let (code, t?) in given {
            let characteristics = (t.characteristics ?? []).map {
                Characteristic(
                    name: $0.name.trimmingCharacters(in: .whitespacesAndNewlines),
                    value: $0.value.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            let text = ProductTexts(
                name: t.name.trimmingCharacters(in: .whitespacesAndNewlines), description: t.description ?? "",
                origin: t.origin ?? "", composition: t.composition ?? "", warnings: t.warnings ?? "",
                hazards: t.hazards ?? "", allergens: t.allergens ?? "", instructions: t.instructions ?? "",
                characteristics: characteristics)
            let prefix = "translations.\(code.rawValue)"
            if text.name.isEmpty || text.name.count > 200 {
                errors.append(.init(field: "\(prefix).name", message: "1 to 200 characters"))
            }
            for (field, value) in text.longTexts where value.count > ProductTexts.maximumTextLength {
                errors.append(.init(field: "\(prefix).\(field)", message: "at most \(ProductTexts.maximumTextLength) characters"))
            }
            if characteristics.count > Characteristic.maximumCount {
                errors.append(.init(field: "\(prefix).characteristics", message: "at most \(Characteristic.maximumCount) items"))
            }
            for (index, characteristic) in characteristics.enumerated() where !characteristic.isValid {
                errors.append(.init(
                    field: "\(prefix).characteristics[\(index)]",
                    message: "name of 1 to \(Characteristic.maximumNameLength) and value of 1 to \(Characteristic.maximumValueLength) characters, one line each"))
            }
            texts[code] = text
        }
        if texts[language] == nil {
            errors.append(.init(field: "translations.\(language.rawValue)", message: "the default language needs its texts"))
        }
        return (sku, language, texts)
    }

    static func render(_ product: ProductRecord) -> Components.Schemas.Product {
        func texts(_ language: Language) -> Components.Schemas.Texts? {
            product.translations[language].map {
                .init(name: $0.name, description: $0.description, origin: $0.origin, composition: $0.composition,
                      warnings: $0.warnings, hazards: $0.hazards, allergens: $0.allergens, instructions: $0.instructions,
                      characteristics: $0.characteristics.map { .init(name: $0.name, value: $0.value) })
            }
        }
        return .init(
            gtin: product.gtin.digits, imageUrl: product.imageURL, sku: product.sku, productType: product.productType,
            defaultLanguage: .init(rawValue: product.defaultLanguage.rawValue) ?? .en,
            languages: product.translations.keys.sorted().compactMap { .init(rawValue: $0.rawValue) },
            translations: .init(en: texts(.en), fr: texts(.fr), de: texts(.de), es: texts(.es)),
            lots: product.lots.map(renderLot))
    }

    static func renderLot(_ lot: LotRecord) -> Components.Schemas.Lot {
        .init(code: lot.code, producedOn: lot.producedOn, expiresOn: lot.expiresOn,
              status: lot.status == "recalled" ? .recalled : .released,
              recallNotice: .init(additionalProperties: lot.recallNotice))
    }
}
