import SignetCore

/// The catalogue as of one moment: brands, product types, products with their
/// texts, and lots, indexed the ways a scan looks them up.
struct CatalogueSnapshot: Sendable {
    /// Changes with every change applied; rendered fragments are keyed by it.
    var version: UInt64 = 0
    private(set) var brands: [Int64: CachedBrand] = [:]
    private(set) var productTypes: [Int64: CachedProductType] = [:]
    private var products: [Int64: CachedProduct] = [:]
    private var productIDsByGTIN: [String: Int64] = [:]
    private var lots: [Int64: CachedLot] = [:]
    private var lotIDsByCode: [LotCode: Int64] = [:]
    private var recalledLotIDs: [Int64: Set<Int64>] = [:]
    /// Lots with an expiry date, by product.
    private var datedLotIDs: [Int64: Set<Int64>] = [:]
    private var recalls: [Int64: CachedRecall] = [:]

    private struct LotCode: Hashable {
        var productID: Int64
        var code: String
    }

    var productCount: Int { products.count }
    var lotCount: Int { lots.count }

    func product(gtin: String) -> CachedProduct? {
        productIDsByGTIN[gtin].flatMap { products[$0] }
    }

    func product(id: Int64) -> CachedProduct? { products[id] }

    func lot(id: Int64) -> CachedLot? { lots[id] }

    /// A recall of containers or serials (a lot's recall is the lot's).
    func recall(id: Int64) -> CachedRecall? { recalls[id] }

    func lot(productID: Int64, code: String) -> CachedLot? {
        lotIDsByCode[LotCode(productID: productID, code: code)].flatMap { lots[$0] }
    }

    /// The product's recalled lots: a seal in one of them is `recalled`.
    func recalledLots(of productID: Int64) -> [Int64] {
        recalledLotIDs[productID].map(Array.init) ?? []
    }

    /// The product's lots past their expiry date on `today` (UTC): a seal in one of them is `expired`.
    func expiredLots(of productID: Int64, on today: CalendarDate) -> [Int64] {
        guard let dated = datedLotIDs[productID] else { return [] }
        return dated.filter { id in lots[id]?.expiry.map { $0 < today } ?? false }
    }

    /// The lots a scan's statement flags. A link naming a lot needs that lot's
    /// flags only: a seal of another lot does not match the link, whatever its
    /// lot. A link naming none needs the product's, since the seal's lot is
    /// known only once the statement has found the seal.
    func flaggedLots(productID: Int64, lotID: Int64?, on today: CalendarDate) -> (recalled: [Int64], expired: [Int64]) {
        guard let lotID else { return (recalledLots(of: productID), expiredLots(of: productID, on: today)) }
        guard let lot = lots[lotID], lot.productID == productID else { return ([], []) }
        return (lot.recalled ? [lotID] : [], lot.expiry.map { $0 < today } == true ? [lotID] : [])
    }

    /// Records that something changed, so fragments rendered before are not reused.
    mutating func advanceVersion() { version &+= 1 }

    mutating func replace(brand id: Int64, with brand: CachedBrand?) {
        brands[id] = brand
    }

    mutating func replace(productType id: Int64, with type: CachedProductType?) {
        productTypes[id] = type
    }

    mutating func replace(product id: Int64, with product: CachedProduct?) {
        if let old = products[id], productIDsByGTIN[old.gtin] == id { productIDsByGTIN[old.gtin] = nil }
        products[id] = product
        if let product { productIDsByGTIN[product.gtin] = id }
    }

    mutating func replace(recall id: Int64, with recall: CachedRecall?) {
        recalls[id] = recall
    }

    mutating func replace(lot id: Int64, with lot: CachedLot?) {
        if let old = lots[id] {
            let key = LotCode(productID: old.productID, code: old.code)
            if lotIDsByCode[key] == id { lotIDsByCode[key] = nil }
            recalledLotIDs[old.productID]?.remove(id)
            if recalledLotIDs[old.productID]?.isEmpty == true { recalledLotIDs[old.productID] = nil }
            datedLotIDs[old.productID]?.remove(id)
            if datedLotIDs[old.productID]?.isEmpty == true { datedLotIDs[old.productID] = nil }
        }
        lots[id] = lot
        if let lot {
            lotIDsByCode[LotCode(productID: lot.productID, code: lot.code)] = id
            if lot.recalled { recalledLotIDs[lot.productID, default: []].insert(id) }
            if lot.expiry != nil { datedLotIDs[lot.productID, default: []].insert(id) }
        }
    }
}
