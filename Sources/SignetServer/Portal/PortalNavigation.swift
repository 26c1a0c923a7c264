/// The portal's main menu. Each capability adds its entry here.
enum PortalNavigation: String, CaseIterable {
    case products
    case seals
    case consultations

    var path: String { "/portal/\(rawValue)" }

    /// The localization key of the entry's label.
    var labelKey: String { "portal_nav_\(rawValue)" }

    /// Entries whose pages exist; the others stay hidden until their capability lands.
    static let available: [PortalNavigation] = [.products, .seals]
}
