import Foundation
import Hummingbird
import Mustache
import SignetCore

/// Renders HTML pages from `Templates/` with the UI strings of `Localization/`,
/// both loaded once at start-up.
struct PageRenderer: Sendable {
    let templates: LocalizedTemplates
    let catalog: LocalizationCatalog
    let countries: CountryNames

    static func load(resourcesDirectory: String) async throws -> PageRenderer {
        let catalog = try LocalizationLoader.load(directory: "\(resourcesDirectory)/Localization")
        let templates = try LocalizedTemplates.load(directory: "\(resourcesDirectory)/Templates", catalog: catalog)
        for name in ["scan", "scan-product", "error", "home"] where templates.library(.en).getTemplate(named: name) == nil {
            throw ResourceError.missing("Templates/\(name).mustache")
        }
        return PageRenderer(templates: templates, catalog: catalog, countries: CountryNames())
    }

    func strings(_ language: Language) -> LocalizedStrings {
        catalog.strings(language)
    }

    /// An HTML response in `language`, with the headers every localized page carries.
    func page(
        _ template: String, language: Language, context: [String: Any], status: HTTPResponse.Status = .ok,
        extraHeaders: HTTPFields = [:]
    ) -> Response {
        response(
            ByteBuffer(string: html(template, language: language, context: context)), language: language, status: status,
            extraHeaders: extraHeaders)
    }

    /// A whole page's HTML.
    func html(_ template: String, language: Language, context: [String: Any]) -> String {
        var context = context
        context["lang"] = language.rawValue
        return templates.library(language).render(context, withTemplate: template) ?? ""
    }

    /// A page already rendered, with the headers every localized page carries.
    func response(
        _ body: ByteBuffer, language: Language, status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:]
    ) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .contentLanguage: language.rawValue,
            .vary: "Accept-Language, Cookie",
        ]
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// A piece of a page, placed into a page with a triple mustache (`{{{…}}}`);
    /// everything in it was escaped when it was rendered.
    func fragment(_ template: String, language: Language, context: [String: Any]) -> String {
        templates.library(language).render(context, withTemplate: template) ?? ""
    }

    /// Switcher entries linking the current page in each language. The links are
    /// query-only (`?t=…&lang=fr`), so they stay on this page whatever its path
    /// looks like: a path such as `//other.example/` must never become a link.
    func languageLinks(_ languages: [Language], current: Language, query: String?) -> [[String: Any]] {
        languageLinks(languages, current: current, queryPrefix: Self.queryPrefix(query))
    }

    /// - Parameter queryPrefix: what `queryPrefix(_:)` makes of the request's query.
    func languageLinks(_ languages: [Language], current: Language, queryPrefix: String) -> [[String: Any]] {
        languages.sorted().map { language in
            [
                "code": language.rawValue,
                "name": strings(language)["language_name"],
                "url": "?" + queryPrefix + "lang=\(language.rawValue)",
                "current": language == current,
            ]
        }
    }

    /// The request's query without `lang`, followed by `&` when anything is left:
    /// what the language links put before their own `lang=`.
    static func queryPrefix(_ query: String?) -> String {
        let kept = (query ?? "").split(separator: "&").filter { !$0.hasPrefix("lang=") && $0 != "lang" }
        return kept.isEmpty ? "" : kept.joined(separator: "&") + "&"
    }
}
