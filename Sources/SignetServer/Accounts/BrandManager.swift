import SignetCore

/// A signed-in portal user, as every portal route sees them.
public struct BrandManager: Sendable {
    public var userID: Int64
    public var brandID: Int64
    public var brandSlug: String
    public var brandName: String
    public var email: String
    public var role: Role
    /// The portal language the user chose; nil follows the browser.
    public var language: Language?

    var auditActor: AuditActor { .user(id: userID, email: email) }
}
