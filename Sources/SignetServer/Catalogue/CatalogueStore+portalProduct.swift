import SignetCore

extension CatalogueStore {
    /// The product a portal route's `:gtin` names, if the signed-in manager may see it; 404 otherwise.
    func product(named context: PortalContext) async throws -> ProductRecord {
        guard let gtin = GTIN(try context.parameters.require("gtin")),
              let product = try await product(brandID: context.manager.brandID, access: context.manager.access, gtin: gtin)
        else { throw PublicError.notFound }
        return product
    }
}
