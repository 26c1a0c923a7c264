import Foundation
import SignetAPI
import SignetCore

extension APIHandler {
    func listProductLinks(_ input: Operations.ListProductLinks.Input) async throws -> Operations.ListProductLinks.Output {
        let client = try APIClientScope.require(.productsRead)
        let product = try await load(client: client, gtin: try Self.gtin(input.path.gtin))
        return .ok(.init(body: .json(.init(items: try await productLinks.list(productID: product.id).map(Self.render)))))
    }

    func createProductLink(_ input: Operations.CreateProductLink.Input) async throws -> Operations.CreateProductLink.Output {
        let client = try APIClientScope.require(.productsWrite)
        let product = try await load(client: client, gtin: try Self.gtin(input.path.gtin))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        let link = try Self.validated(body)
        let id = try await productLinks.create(
            brandID: client.brandID, productID: product.id, gtin: product.gtin, link, actor: client.auditActor)
        return .created(.init(body: .json(try await stored(product: product, id: id))))
    }

    func replaceProductLink(_ input: Operations.ReplaceProductLink.Input) async throws -> Operations.ReplaceProductLink.Output {
        let client = try APIClientScope.require(.productsWrite)
        let product = try await load(client: client, gtin: try Self.gtin(input.path.gtin))
        guard case .json(let body) = input.body else { throw APIProblem.badRequest("Send application/json.") }
        let link = try Self.validated(body)
        guard try await productLinks.replace(
            brandID: client.brandID, productID: product.id, gtin: product.gtin, id: input.path.id, link, actor: client.auditActor)
        else { throw APIProblem.notFound("Product \(product.gtin.digits) has no link \(input.path.id).") }
        return .ok(.init(body: .json(try await stored(product: product, id: input.path.id))))
    }

    func deleteProductLink(_ input: Operations.DeleteProductLink.Input) async throws -> Operations.DeleteProductLink.Output {
        let client = try APIClientScope.require(.productsWrite)
        let product = try await load(client: client, gtin: try Self.gtin(input.path.gtin))
        guard try await productLinks.delete(
            brandID: client.brandID, productID: product.id, gtin: product.gtin, id: input.path.id, actor: client.auditActor)
        else { throw APIProblem.notFound("Product \(product.gtin.digits) has no link \(input.path.id).") }
        return .noContent(.init())
    }

    private func stored(product: ProductRecord, id: Int64) async throws -> Components.Schemas.ProductLink {
        guard let link = try await productLinks.find(productID: product.id, id: id) else {
            throw APIProblem.notFound("Product \(product.gtin.digits) has no link \(id).")
        }
        return Self.render(link)
    }

    private static func validated(_ body: Components.Schemas.ProductLinkInput) throws -> ResolverLink {
        let input = ResolverLinkInput(
            type: body._type, href: body.href, title: body.title, languages: (body.languages ?? []).joined(separator: ","),
            mediaType: body.mediaType ?? "", context: body.context ?? "", lot: body.lot ?? "", serial: body.serial ?? "",
            isDefault: body._default ?? false)
        do {
            return try input.validated()
        } catch {
            throw APIProblem.validation(error.problems.map { .init(field: $0.field, message: $0.rule.message) })
        }
    }

    private static func render(_ stored: ProductLinkStore.StoredLink) -> Components.Schemas.ProductLink {
        let link = stored.link
        var lot: String?, serial: String?
        switch link.level {
        case .product: break
        case .lot(let code): lot = code
        case .serial(let value): serial = value
        }
        return .init(
            id: stored.id, _type: link.type.compact, href: link.href, title: link.title, languages: link.languages,
            mediaType: link.mediaType, context: link.context, lot: lot, serial: serial, _default: link.isDefault,
            updatedAt: stored.updatedAt)
    }
}
