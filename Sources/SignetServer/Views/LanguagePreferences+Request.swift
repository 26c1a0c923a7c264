import Hummingbird
import SignetCore

extension LanguagePreferences {
    /// The cookie remembering a language chosen with `?lang=`.
    static let cookieName = "signet_lang"

    /// `?lang=`, then the `signet_lang` cookie, then `Accept-Language`.
    init(request: Request) {
        self.init(
            query: request.uri.queryParameters["lang"].map(String.init),
            cookie: request.cookies[Self.cookieName]?.value,
            acceptLanguage: request.headers[.acceptLanguage])
    }

    /// The same from a Digital Link's query, already parsed (the scan's path).
    init(request: Request, query: DigitalLinkQuery) {
        self.init(
            query: query.value(of: "lang"),
            cookie: request.cookies[Self.cookieName]?.value,
            acceptLanguage: request.headers[.acceptLanguage])
    }

    static func cookie(for language: Language, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: language.rawValue, maxAge: 365 * 24 * 3600, path: "/",
               secure: secure, httpOnly: true, sameSite: .lax)
    }
}
