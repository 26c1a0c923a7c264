/// Addresses of portal pages that are handed to people outside the portal.
public enum PortalLinks {
    /// Where an invited user, or one whose sign-in was reset, chooses a password.
    public static func signIn(origin: String, token: String) -> String {
        "\(origin)/portal/welcome/\(token)"
    }
}
