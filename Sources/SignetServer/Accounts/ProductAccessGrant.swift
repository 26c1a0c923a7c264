import Logging
import PostgresNIO
import SignetCore

/// A narrowing of access as an owner states it: product type codes and
/// GTINs. Nothing named means every product.
public struct ProductAccessGrant: Sendable, Equatable {
    public var productTypeCodes: [String]
    public var gtins: [GTIN]

    public init(productTypeCodes: [String] = [], gtins: [GTIN] = []) {
        self.productTypeCodes = productTypeCodes
        self.gtins = gtins
    }

    public static let everything = ProductAccessGrant()

    public var isEverything: Bool { productTypeCodes.isEmpty && gtins.isEmpty }

    /// The ids to store: both nil for everything; throws for a code or GTIN the brand does not have.
    func resolve(brandID: Int64, on connection: PostgresConnection, logger: Logger) async throws -> (typeIDs: [Int64]?, productIDs: [Int64]?) {
        guard !isEverything else { return (nil, nil) }
        var typeIDs: [Int64] = []
        for code in productTypeCodes {
            let rows = try await connection.query(
                "SELECT id FROM product_types WHERE brand_id = \(brandID) AND code = \(code)", logger: logger
            ).collect()
            guard let id = try rows.first?.decode(Int64.self) else { throw AccountError.unknownProductType(code) }
            typeIDs.append(id)
        }
        var productIDs: [Int64] = []
        for gtin in gtins {
            let rows = try await connection.query(
                "SELECT id FROM products WHERE brand_id = \(brandID) AND gtin = \(gtin.digits)", logger: logger
            ).collect()
            guard let id = try rows.first?.decode(Int64.self) else { throw AccountError.unknownProduct(gtin.digits) }
            productIDs.append(id)
        }
        return (typeIDs, productIDs)
    }

    /// SQL reading a row's narrowing back as type codes and GTINs (two
    /// columns, both NULL for every product); `alias` names the users or api_keys row.
    static func selectSQL(alias: String) -> String {
        """
        CASE WHEN \(alias).access_product_type_ids IS NOT NULL OR \(alias).access_product_ids IS NOT NULL THEN
            ARRAY(SELECT t.code FROM product_types t WHERE t.id = ANY(\(alias).access_product_type_ids) ORDER BY t.code) END,
        CASE WHEN \(alias).access_product_type_ids IS NOT NULL OR \(alias).access_product_ids IS NOT NULL THEN
            ARRAY(SELECT p.gtin FROM products p WHERE p.id = ANY(\(alias).access_product_ids) ORDER BY p.gtin) END
        """
    }

    /// The grant read with `selectSQL`; nil for every product.
    static func read(typeCodes: [String]?, gtins: [String]?) -> ProductAccessGrant? {
        guard typeCodes != nil || gtins != nil else { return nil }
        return ProductAccessGrant(productTypeCodes: typeCodes ?? [], gtins: (gtins ?? []).compactMap(GTIN.init))
    }

    /// The grant a portal form states: a `type_{code}` or `product_{gtin}` field per box ticked.
    static func fromForm(_ fields: [String: String]) -> ProductAccessGrant {
        ProductAccessGrant(
            productTypeCodes: fields.keys.filter { $0.hasPrefix("type_") }.map { String($0.dropFirst(5)) }.sorted(),
            gtins: fields.keys.filter { $0.hasPrefix("product_") }.compactMap { GTIN(String($0.dropFirst(8))) }.sorted { $0.digits < $1.digits })
    }
}
