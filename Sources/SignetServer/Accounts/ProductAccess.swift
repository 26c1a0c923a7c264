/// Which of the brand's products a user or an API key may see and change:
/// all of them, or those of some product types plus some named products.
/// Resolved to product ids when the session or key is read, so each store
/// filters with one `p.id = ANY(...)`.
public struct ProductAccess: Sendable, Equatable {
    /// nil: every product of the brand.
    public var productIDs: [Int64]?
    /// The product types granted whole; a restricted user may create products of these.
    public var productTypeIDs: [Int64]

    public static let all = ProductAccess(productIDs: nil, productTypeIDs: [])

    public var isRestricted: Bool { productIDs != nil }

    public func allows(productID: Int64) -> Bool {
        productIDs.map { $0.contains(productID) } ?? true
    }

    public func allowsCreating(productTypeID: Int64?) -> Bool {
        guard isRestricted else { return true }
        return productTypeID.map(productTypeIDs.contains) ?? false
    }
}
