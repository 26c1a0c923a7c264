/// What a brand manager may do. Checked on the server for every portal and API
/// route; the pages only hide what the role cannot use.
public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
    /// A shop's staff: checks and uses the brand's vouchers, sees nothing else.
    case shop
    case viewer
    case editor
    case owner

    public func allows(_ action: BrandAction) -> Bool {
        switch action {
        case .read: self >= .viewer
        case .useVouchers: self == .shop || self >= .editor
        case .editCatalogue, .manageSeals, .handleAlerts, .manageLoyalty, .recordTrace: self >= .editor
        case .manageUsers, .manageAPIKeys, .manageBrand, .readAuditLog: self == .owner
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .shop: -1
        case .viewer: 0
        case .editor: 1
        case .owner: 2
        }
    }
}

/// The kinds of thing a portal user asks to do; `Role.allows` decides.
public enum BrandAction: Sendable, CaseIterable {
    /// Products, lots, seals, consultations.
    case read
    /// Products, product types, translations, lots and recalls.
    case editCatalogue
    /// Seal batches, activation, imports and exports.
    case manageSeals
    /// Acknowledge, resolve and reopen alerts; edit alert rules.
    case handleAlerts
    /// Check a voucher and mark it used.
    case useVouchers
    /// Rewards, cancelling redemptions.
    case manageLoyalty
    /// Partners; shipments, receipts, returns and recalls recorded as supply-chain events.
    case recordTrace
    case manageUsers
    case manageAPIKeys
    case manageBrand
    case readAuditLog
}
