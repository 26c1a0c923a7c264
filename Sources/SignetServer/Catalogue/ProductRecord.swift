import Foundation
import SignetCore

/// A product as managers edit it: its identity and its texts per language.
struct ProductRecord: Sendable {
    var id: Int64
    var gtin: GTIN
    var sku: String?
    var defaultLanguage: Language
    var imageURL: String?
    /// Changes on every edit; forms send it back so a stale edit is refused.
    var version: Int64
    var productType: String?
    var translations: [Language: ProductTexts]
    var lots: [LotRecord]

    /// The name in `language`, else in the default language, else any.
    func name(in language: Language) -> String {
        translations[language]?.name ?? translations[defaultLanguage]?.name ?? translations.values.first?.name ?? ""
    }
}

/// The consumer-facing texts of a product in one language.
struct ProductTexts: Sendable, Equatable {
    var name: String
    var description = ""
    var origin = ""
    var composition = ""
    /// Safety data: precautions, hazard statements (one per line), allergens, how to use.
    var warnings = ""
    var hazards = ""
    var allergens = ""
    var instructions = ""
    var characteristics: [Characteristic] = []

    /// The free texts by field name, as forms, the API and the database name them.
    var longTexts: [(field: String, value: String)] {
        [("description", description), ("origin", origin), ("composition", composition), ("warnings", warnings),
         ("hazards", hazards), ("allergens", allergens), ("instructions", instructions)]
    }

    static let maximumTextLength = 5000
}

struct LotRecord: Sendable {
    var id: Int64
    var code: String
    var producedOn: String?
    var expiresOn: String?
    var status: String
    var recallNotice: [String: String]
}
