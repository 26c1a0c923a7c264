/// Where an alert stands in the brand's inbox.
public enum AlertStatus: String, CaseIterable, Sendable, Codable {
    /// New: counted in the portal's navigation.
    case open
    /// Someone is on it.
    case acknowledged
    /// Done, with a note saying what was found or done.
    case resolved
}
