import SignetCore

/// The API key of the request being served, bound by `APIKeyMiddleware` for
/// the generated handlers, which see no Hummingbird context.
enum APIClientScope {
    @TaskLocal static var client: APIKeyStore.Client?

    /// The client, if its key carries `scope`; else a 403 problem.
    static func require(_ scope: APIKeyScope) throws -> APIKeyStore.Client {
        guard let client else { throw APIProblem.unauthorized("No API key.") }
        guard client.scopes.contains(scope) else { throw APIProblem.forbidden(scope: scope.rawValue) }
        return client
    }
}
