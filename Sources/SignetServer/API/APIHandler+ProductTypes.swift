import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func listProductTypes(_ input: Operations.ListProductTypes.Input) async throws -> Operations.ListProductTypes.Output {
        let client = try APIClientScope.require(.productsRead)
        let types = try await productTypes.list(brandID: client.brandID, access: client.access)
        return .ok(.init(body: .json(.init(items: types.map(Self.render)))))
    }

    func createProductType(_ input: Operations.CreateProductType.Input) async throws -> Operations.CreateProductType.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.productsWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        if !ProductTypeStore.isValidCode(body.code) {
            errors.append(.init(field: "code", message: "lower-case letters, digits and hyphens, at most 63"))
        }
        let names = Self.productTypeNames(body.names.additionalProperties, errors: &errors)
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        do {
            try await productTypes.create(brandID: client.brandID, actor: client.auditActor, code: body.code, names: names)
        } catch CatalogueError.productTypeCodeTaken {
            throw APIProblem.conflict("A product type with code \(body.code) already exists.")
        }
        return .created(.init(body: .json(try await productType(client: client, code: body.code))))
    }

    func renameProductType(_ input: Operations.RenameProductType.Input) async throws -> Operations.RenameProductType.Output {
        let client = try Self.requireWholeCatalogue(try APIClientScope.require(.productsWrite))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        var errors: [APIProblem.FieldError] = []
        let names = Self.productTypeNames(body.names.additionalProperties, errors: &errors)
        guard errors.isEmpty else { throw APIProblem.validation(errors) }
        do {
            try await productTypes.rename(brandID: client.brandID, actor: client.auditActor, code: input.path.code, names: names)
        } catch CatalogueError.productTypeNotFound {
            throw APIProblem.notFound("No product type \(input.path.code).")
        }
        return .ok(.init(body: .json(try await productType(client: client, code: input.path.code))))
    }

    /// Product types shape the whole catalogue: keys narrowed to some products may not change them.
    static func requireWholeCatalogue(_ client: APIKeyStore.Client) throws -> APIKeyStore.Client {
        guard !client.access.isRestricted else {
            throw APIProblem(status: .forbidden, type: "outside-access", title: "Outside this key's products",
                             detail: "Only keys that reach every product may change what concerns the whole brand: product types, alert rules, webhooks, partners and supply-chain events.")
        }
        return client
    }

    private func productType(client: APIKeyStore.Client, code: String) async throws -> Components.Schemas.ProductType {
        guard let type = try await productTypes.list(brandID: client.brandID, access: client.access).first(where: { $0.code == code }) else {
            throw APIProblem.notFound("No product type \(code).")
        }
        return Self.render(type)
    }

    /// Names by language: known languages only, 1 to 100 characters, at least one.
    private static func productTypeNames(_ given: [String: String], errors: inout [APIProblem.FieldError]) -> [String: String] {
        var names: [String: String] = [:]
        for (code, name) in given.sorted(by: { $0.key < $1.key }) {
            let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if Language(rawValue: code) == nil {
                errors.append(.init(field: "names.\(code)", message: "one of en, fr, de, es"))
            } else if name.isEmpty || name.count > 100 {
                errors.append(.init(field: "names.\(code)", message: "1 to 100 characters"))
            } else {
                names[code] = name
            }
        }
        if given.isEmpty { errors.append(.init(field: "names", message: "at least one language")) }
        return names
    }

    private static func render(_ type: ProductTypeStore.ProductType) -> Components.Schemas.ProductType {
        .init(code: type.code, names: .init(additionalProperties: type.names), productCount: type.productCount)
    }
}
