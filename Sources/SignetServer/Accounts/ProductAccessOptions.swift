import SignetCore

/// The boxes of the "access" part of the users and API keys pages: every
/// product type and product of the brand, ticked as a grant has them.
struct ProductAccessOptions: Sendable {
    let catalogue: CatalogueStore
    let productTypes: ProductTypeStore

    struct Choices {
        var types: [ProductTypeStore.ProductType]
        var products: [CatalogueStore.ProductSummary]
    }

    /// Read once per page; owners manage access, and they see every product.
    func load(brandID: Int64) async throws -> Choices {
        Choices(
            types: try await productTypes.list(brandID: brandID, access: .all),
            products: try await catalogue.products(brandID: brandID, access: .all))
    }

    /// The template context of one grant's boxes; `prefix` keeps ids unique on the page.
    static func context(_ choices: Choices, grant: ProductAccessGrant?, prefix: String, language: Language) -> [String: Any] {
        [
            "types": choices.types.map { type in
                ["field": "type_\(type.code)", "id": "\(prefix)-type-\(type.code)", "label": type.name(in: language),
                 "checked": grant?.productTypeCodes.contains(type.code) ?? false] as [String: Any]
            },
            "products": choices.products.map { product in
                ["field": "product_\(product.gtin)", "id": "\(prefix)-product-\(product.gtin)",
                 "label": "\(product.name(in: language)) · \(product.gtin)",
                 "checked": grant?.gtins.contains { $0.digits == product.gtin } ?? false] as [String: Any]
            },
        ]
    }

    /// "All products", or the granted types and products by name.
    static func summary(_ grant: ProductAccessGrant?, choices: Choices, strings: LocalizedStrings, language: Language) -> String {
        guard let grant else { return strings["portal_access_all"] }
        let types = choices.types.filter { grant.productTypeCodes.contains($0.code) }.map { $0.name(in: language) }
        let products = choices.products.filter { product in grant.gtins.contains { $0.digits == product.gtin } }
            .map { $0.name(in: language) }
        let parts = types + products
        return parts.isEmpty ? strings["portal_access_none"] : parts.joined(separator: ", ")
    }
}
