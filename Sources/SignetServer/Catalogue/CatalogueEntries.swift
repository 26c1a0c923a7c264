import Crypto
import Foundation
import SignetCore

/// A brand as scans need it: its name and support address for the page, its
/// seal key to verify tokens.
struct CachedBrand: Sendable {
    var id: Int64
    /// Names the brand in the NFC key file.
    var slug: String
    /// The query parameters its NFC tags write.
    var nfcParameters = SUNParameters.Names()
    var name: String
    var supportEmail: String?
    var sealKey: SymmetricKey
    /// More scan sessions than this make a seal `suspicious`.
    var sessionLimit: Int
    /// One visitor's scans less than this many minutes apart are one session.
    var sessionMinutes: Int
    /// Its loyalty programme: what a genuine first scan offers to claim.
    var loyalty = LoyaltyTerms(enabled: false, defaultPoints: 0, dailyClaims: 0, claimGapSeconds: 0, expiryDays: nil)
}

struct CachedProductType: Sendable {
    var id: Int64
    var brandID: Int64
    var code: String
    var names: [String: String]
}

/// One language's texts of a product, as the brand wrote them (empty fields included).
struct CachedTranslation: Sendable {
    var name: String
    var description: String
    var origin: String
    var composition: String
    var warnings: String
    var hazards: String
    var allergens: String
    var instructions: String
    var characteristics: [Characteristic]
}

struct CachedProduct: Sendable {
    var id: Int64
    var brandID: Int64
    var gtin: String
    var defaultLanguage: Language
    var imageURL: String?
    var productTypeID: Int64?
    var translations: [Language: CachedTranslation]
    /// Points for a genuine first scan; nil: the brand's default.
    var loyaltyPoints: Int? = nil
    /// The brand's resolver links for the product, its lots and serials.
    var links: [ResolverLink] = []

    /// The languages the product's page exists in.
    var languages: [Language] { translations.keys.sorted() }

    /// The product's texts in `language`, each empty field taken from the default
    /// language; nil only for a product without any translation.
    func text(in language: Language, brand: CachedBrand?) -> ProductText? {
        guard let fallback = translations[defaultLanguage] ?? translations.values.first else { return nil }
        let chosen = translations[language] ?? fallback
        func pick(_ field: KeyPath<CachedTranslation, String>) -> String {
            chosen[keyPath: field].isEmpty ? fallback[keyPath: field] : chosen[keyPath: field]
        }
        return ProductText(
            brandName: brand?.name ?? "", imageURL: imageURL, languages: languages,
            name: pick(\.name), description: pick(\.description), origin: pick(\.origin),
            composition: pick(\.composition), warnings: pick(\.warnings), hazards: pick(\.hazards),
            allergens: pick(\.allergens), instructions: pick(\.instructions),
            characteristics: chosen.characteristics.isEmpty ? fallback.characteristics : chosen.characteristics)
    }
}

/// A recall of containers or serials, for the notice its seals' scan pages show.
struct CachedRecall: Sendable {
    var id: Int64
    /// Notice by language code.
    var notice: [String: String]

    /// In `language` when the brand wrote one, else in the product's default language, else in English.
    func notice(in language: Language, productDefault: Language) -> String? {
        notice[language.rawValue] ?? notice[productDefault.rawValue] ?? notice["en"]
    }
}

struct CachedLot: Sendable {
    var id: Int64
    var productID: Int64
    var code: String
    /// `YYYY-MM-DD`.
    var producedOn: String?
    let expiresOn: String?
    /// `expiresOn` as a date, parsed once rather than on every scan.
    let expiry: CalendarDate?
    var recalled: Bool
    /// Recall message by language code.
    var recallNotice: [String: String]

    init(
        id: Int64, productID: Int64, code: String, producedOn: String?, expiresOn: String?, recalled: Bool,
        recallNotice: [String: String]
    ) {
        (self.id, self.productID, self.code, self.producedOn, self.expiresOn) = (id, productID, code, producedOn, expiresOn)
        (self.recalled, self.recallNotice) = (recalled, recallNotice)
        expiry = expiresOn.flatMap(CalendarDate.init)
    }

    /// The page's view of the lot: the recall notice in `language` when the brand
    /// wrote one, else in the product's default language, else in English.
    func facts(in language: Language, productDefault: Language) -> LotFacts {
        LotFacts(
            code: code, producedOn: producedOn, expiresOn: expiresOn,
            recallNotice: recallNotice[language.rawValue] ?? recallNotice[productDefault.rawValue] ?? recallNotice["en"])
    }
}
