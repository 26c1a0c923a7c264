import Foundation
import SignetCore

/// The product editor's fields, checked. Problems are localization keys,
/// shown together above the form.
struct ProductForm {
    var sku: String?
    var defaultLanguage: Language
    var translations: [Language: ProductTexts]
    var version: Int64?
    var problems: [String] = []

    static let maximumTextLength = 5000

    init(fields: [String: String]) {
        let sku = (fields["sku"] ?? "").trimmingCharacters(in: .whitespaces)
        self.sku = sku.isEmpty ? nil : sku
        if sku.count > 64 { problems.append("portal_error_sku_invalid") }
        defaultLanguage = Language(rawValue: fields["default_language"] ?? "") ?? .en
        version = fields["version"].flatMap { Int64($0) }
        translations = [:]
        for language in Language.allCases {
            func field(_ name: String) -> String {
                (fields["\(language.rawValue)_\(name)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let texts = ProductTexts(
                name: field("name"), description: field("description"), origin: field("origin"),
                composition: field("composition"), safety: field("safety"))
            let anyText = !(texts.description + texts.origin + texts.composition + texts.safety).isEmpty
            if texts.name.isEmpty {
                if anyText { problems.append("portal_error_name_required") }
                continue
            }
            if texts.name.count > 200 || [texts.description, texts.origin, texts.composition, texts.safety]
                .contains(where: { $0.count > Self.maximumTextLength }) {
                problems.append("portal_error_too_long")
            }
            translations[language] = texts
        }
        if translations[defaultLanguage] == nil { problems.append("portal_error_default_language_missing") }
        problems = problems.uniqued()
    }
}
