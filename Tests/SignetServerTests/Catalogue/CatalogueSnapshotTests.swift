import Crypto
import SignetCore
@testable import SignetServer
import Testing

/// The indexes scans look things up by must follow every change applied.
@Suite("Catalogue snapshot")
struct CatalogueSnapshotTests {
    static func product(_ id: Int64, gtin: String, translations: [Language: String]) -> CachedProduct {
        CachedProduct(
            id: id, brandID: 1, gtin: gtin, defaultLanguage: .fr, imageURL: nil, productTypeID: nil,
            translations: translations.mapValues { name in
                CachedTranslation(
                    name: name, description: "", origin: "Provence", composition: "", warnings: "", hazards: "",
                    allergens: "", instructions: "", characteristics: [])
            })
    }

    static func lot(_ id: Int64, product: Int64, code: String, recalled: Bool, expiresOn: String? = nil) -> CachedLot {
        CachedLot(id: id, productID: product, code: code, producedOn: nil, expiresOn: expiresOn, recalled: recalled, recallNotice: [:])
    }

    @Test("a product found by GTIN follows a GTIN change and disappears when deleted")
    func productsByGTIN() {
        var snapshot = CatalogueSnapshot()
        snapshot.replace(product: 7, with: Self.product(7, gtin: "03760123450003", translations: [.fr: "Miel"]))
        #expect(snapshot.product(gtin: "03760123450003")?.id == 7)
        snapshot.replace(product: 7, with: Self.product(7, gtin: "03760123450010", translations: [.fr: "Miel"]))
        #expect(snapshot.product(gtin: "03760123450003") == nil)
        #expect(snapshot.product(gtin: "03760123450010")?.id == 7)
        snapshot.replace(product: 7, with: nil)
        #expect(snapshot.product(gtin: "03760123450010") == nil)
        #expect(snapshot.productCount == 0)
    }

    @Test("recalled lots follow recalls, releases, code changes and deletions")
    func recalledLots() {
        var snapshot = CatalogueSnapshot()
        snapshot.replace(lot: 1, with: Self.lot(1, product: 7, code: "A1", recalled: false))
        snapshot.replace(lot: 2, with: Self.lot(2, product: 7, code: "A2", recalled: true))
        #expect(snapshot.recalledLots(of: 7) == [2])
        snapshot.replace(lot: 1, with: Self.lot(1, product: 7, code: "A1", recalled: true))
        #expect(snapshot.recalledLots(of: 7).sorted() == [1, 2])
        snapshot.replace(lot: 2, with: Self.lot(2, product: 7, code: "A2", recalled: false))
        #expect(snapshot.recalledLots(of: 7) == [1])
        snapshot.replace(lot: 1, with: Self.lot(1, product: 7, code: "B1", recalled: true))
        #expect(snapshot.lot(productID: 7, code: "A1") == nil)
        #expect(snapshot.lot(productID: 7, code: "B1")?.id == 1)
        snapshot.replace(lot: 1, with: nil)
        #expect(snapshot.recalledLots(of: 7).isEmpty)
        #expect(snapshot.lot(id: 1) == nil)
        #expect(snapshot.lotCount == 1)
    }

    @Test("a scan flags the named lot alone, or every recalled and expired lot of the product when the link names none")
    func flaggedLots() throws {
        var snapshot = CatalogueSnapshot()
        snapshot.replace(lot: 1, with: Self.lot(1, product: 7, code: "A1", recalled: true, expiresOn: "2026-03-01"))
        snapshot.replace(lot: 2, with: Self.lot(2, product: 7, code: "A2", recalled: false, expiresOn: "2026-06-20"))
        snapshot.replace(lot: 3, with: Self.lot(3, product: 7, code: "A3", recalled: false, expiresOn: "2026-06-21"))
        snapshot.replace(lot: 4, with: Self.lot(4, product: 7, code: "A4", recalled: false))
        snapshot.replace(lot: 5, with: Self.lot(5, product: 8, code: "B1", recalled: true, expiresOn: "2020-01-01"))
        // A lot is expired from the day after its expiry date, as `expires_on < today`.
        let today = try #require(CalendarDate("2026-06-21"))

        let unnamed = snapshot.flaggedLots(productID: 7, lotID: nil, on: today)
        #expect(unnamed.recalled == [1])
        #expect(unnamed.expired.sorted() == [1, 2])
        #expect(snapshot.flaggedLots(productID: 7, lotID: 2, on: today) == ([], [2]))
        #expect(snapshot.flaggedLots(productID: 7, lotID: 3, on: today) == ([], []))
        #expect(snapshot.flaggedLots(productID: 7, lotID: 4, on: today) == ([], []))
        // Another product's lot, or a code no lot has, flags nothing: the seal cannot match the link.
        #expect(snapshot.flaggedLots(productID: 7, lotID: 5, on: today) == ([], []))
        #expect(snapshot.flaggedLots(productID: 7, lotID: ScanStatement.unknownLot, on: today) == ([], []))

        // An expiry moved later, or removed, stops flagging the lot.
        snapshot.replace(lot: 2, with: Self.lot(2, product: 7, code: "A2", recalled: false, expiresOn: "2027-01-01"))
        snapshot.replace(lot: 1, with: Self.lot(1, product: 7, code: "A1", recalled: true))
        #expect(snapshot.flaggedLots(productID: 7, lotID: nil, on: today) == ([1], []))
        snapshot.replace(lot: 1, with: nil)
        #expect(snapshot.flaggedLots(productID: 7, lotID: nil, on: today) == ([], []))
    }

    @Test("texts fall back field by field to the default language")
    func fallback() throws {
        var product = Self.product(7, gtin: "03760123450003", translations: [.fr: "Miel", .en: "Honey"])
        product.translations[.en]?.origin = ""
        let brand = CachedBrand(id: 1, slug: "aurore", name: "Maison Aurore", supportEmail: nil, sealKey: SymmetricKey(size: .bits256), sessionLimit: 5, sessionMinutes: 30)
        let english = try #require(product.text(in: .en, brand: brand))
        #expect(english.name == "Honey")
        #expect(english.origin == "Provence")
        #expect(english.brandName == "Maison Aurore")
        #expect(product.text(in: .de, brand: brand)?.name == "Miel")
        #expect(product.languages == [.en, .fr])
    }
}
