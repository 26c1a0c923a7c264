/// What a chosen password must be. bcrypt reads at most 72 bytes, so a longer
/// password would silently match any other with the same first 72 bytes.
public enum PasswordPolicy {
    public static let minimumCharacters = 12
    public static let maximumBytes = 72

    public enum Problem: Error, Sendable, Equatable {
        case tooShort
        case tooLong
    }

    public static func check(_ password: String) -> Problem? {
        if password.count < minimumCharacters { return .tooShort }
        if password.utf8.count > maximumBytes { return .tooLong }
        return nil
    }
}
