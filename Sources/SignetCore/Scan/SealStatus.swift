/// Life cycle of a physical seal.
public enum SealStatus: String, CaseIterable, Sendable, Codable {
    /// Printed but not yet applied to a product released for sale.
    case pending
    case active
    /// Withdrawn by the brand (destroyed stock, damaged roll, returned goods).
    case deactivated
}
