import Foundation
import SignetCore

/// Reads `Localization/{en,fr,de,es}.json` into a checked catalog.
public enum LocalizationLoader {
    public static func load(directory: String) throws -> LocalizationCatalog {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let path = "\(directory)/\(language.rawValue).json"
            guard let data = FileManager.default.contents(atPath: path) else { throw ResourceError.missing(path) }
            do {
                tables[language] = try JSONDecoder().decode([String: String].self, from: data)
            } catch {
                throw ResourceError.invalid(path, "\(error)")
            }
        }
        return try LocalizationCatalog(tables: tables)
    }
}
