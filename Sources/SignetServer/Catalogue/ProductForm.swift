import Foundation
import SignetCore

/// The product editor's fields, checked. Problems are localization keys,
/// shown together above the form.
struct ProductForm {
    var sku: String?
    var productType: String?
    var defaultLanguage: Language
    var translations: [Language: ProductTexts]
    var version: Int64?
    var problems: [String] = []

    static let maximumTextLength = ProductTexts.maximumTextLength

    init(fields: [String: String]) {
        let sku = (fields["sku"] ?? "").trimmingCharacters(in: .whitespaces)
        self.sku = sku.isEmpty ? nil : sku
        if sku.count > 64 { problems.append("portal_error_sku_invalid") }
        let productType = (fields["product_type"] ?? "").trimmingCharacters(in: .whitespaces)
        self.productType = productType.isEmpty ? nil : productType
        defaultLanguage = Language(rawValue: fields["default_language"] ?? "") ?? .en
        version = fields["version"].flatMap { Int64($0) }
        translations = [:]
        for language in Language.allCases {
            func field(_ name: String) -> String {
                (fields["\(language.rawValue)_\(name)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let (characteristics, badLines) = Characteristic.parseLines(field("characteristics"))
            let texts = ProductTexts(
                name: field("name"), description: field("description"), origin: field("origin"),
                composition: field("composition"), warnings: field("warnings"), hazards: field("hazards"),
                allergens: field("allergens"), instructions: field("instructions"), characteristics: characteristics)
            let anyText = texts.longTexts.contains { !$0.value.isEmpty } || !characteristics.isEmpty
            if texts.name.isEmpty {
                if anyText { problems.append("portal_error_name_required") }
                continue
            }
            if texts.name.count > 200 || texts.longTexts.contains(where: { $0.value.count > Self.maximumTextLength }) {
                problems.append("portal_error_too_long")
            }
            if !badLines.isEmpty || characteristics.count > Characteristic.maximumCount {
                problems.append("portal_error_characteristics")
            }
            translations[language] = texts
        }
        if translations[defaultLanguage] == nil { problems.append("portal_error_default_language_missing") }
        problems = problems.uniqued()
    }
}
