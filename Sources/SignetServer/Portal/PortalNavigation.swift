import SignetCore

/// The portal's main menu. Each capability adds its entry here.
enum PortalNavigation: String, CaseIterable {
    case products
    case seals
    case consultations
    case stats
    case alerts
    case trace
    case loyalty
    case users
    case keys
    case audit
    case brand
    case vouchers
    case account

    var path: String { "/portal/\(rawValue)" }

    /// The localization key of the entry's label.
    var labelKey: String { "portal_nav_\(rawValue)" }

    /// What a role must be allowed to see the entry (the routes check it
    /// again); nil: every signed-in user.
    var requiredAction: BrandAction? {
        switch self {
        case .account: nil
        case .vouchers: .useVouchers
        case .products, .seals, .consultations, .stats, .alerts, .trace, .loyalty: .read
        case .users: .manageUsers
        case .keys: .manageAPIKeys
        case .audit: .readAuditLog
        case .brand: .manageBrand
        }
    }

    static func entries(for role: Role) -> [PortalNavigation] {
        allCases.filter { entry in entry.requiredAction.map(role.allows) ?? true }
    }
}
