import Hummingbird

/// Thrown to send the browser elsewhere (303 See Other), e.g. to the sign-in
/// page from a portal route without a session; `ErrorPageMiddleware` answers it.
struct Redirect: Error {
    let location: String

    static let toSignIn = Redirect(location: "/portal/sign-in")

    var response: Response {
        var response = Response.redirect(to: location, type: .normal)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
