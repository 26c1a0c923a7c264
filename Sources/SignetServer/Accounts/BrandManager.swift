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
    /// Whether the user signs in with a second factor.
    public var hasTwoFactor: Bool = false
    /// The brand's setting: owners must sign in with a second factor.
    public var brandRequiresOwnerTwoFactor: Bool = false
    /// The products this user may see and change.
    public var access: ProductAccess = .all
    /// The brand's open alerts this user may see, counted up to
    /// `SessionStore.openAlertsShownLimit`, for the portal's navigation.
    public var openAlerts: Int = 0
    /// The brand's webhook endpoints switched off after a day of failures,
    /// which every page tells owners about.
    public var failingWebhooks: Int = 0

    /// An owner of a brand that requires two-factor sign-in, without it yet:
    /// only the account page (to set it up) and signing out are open.
    var mustSetUpTwoFactor: Bool { role == .owner && brandRequiresOwnerTwoFactor && !hasTwoFactor }

    var auditActor: AuditActor { .user(id: userID, email: email) }
}
