/// Why an account operation was refused; `description` is shown to whoever
/// asked (an operator at the terminal, a manager in the portal).
public enum AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    case brandExists(String)
    case unknownBrand(String)
    case invalidSlug(String)
    case invalidName
    case invalidEmail(String)
    case emailTaken(String)
    case unknownUser(String)
    case keyNameTaken(String)
    case unknownKey(String)
    case invalidExpiry
    case lastOwner
    case unknownProductType(String)
    case unknownProduct(String)
    case ownersSeeEverything

    public var description: String {
        switch self {
        case .unknownProductType(let code): "no product type \(code) in this brand"
        case .unknownProduct(let gtin): "no product with GTIN \(gtin) in this brand"
        case .ownersSeeEverything: "owners see every product; only editors and viewers can be narrowed"
        case .brandExists(let slug): "a brand with slug \(slug) already exists"
        case .unknownBrand(let slug): "no brand with slug \(slug)"
        case .invalidSlug(let slug): "\"\(slug)\" is not a slug: lower-case letters, digits and hyphens, 1-63 characters, not starting with a hyphen"
        case .invalidName: "a name needs 1 to 200 characters"
        case .invalidEmail(let email): "\"\(email)\" is not an e-mail address"
        case .emailTaken(let email): "\(email) already has an account"
        case .unknownUser(let email): "no user \(email) in this brand"
        case .keyNameTaken(let name): "this brand already has a live API key named \(name)"
        case .unknownKey(let name): "this brand has no live API key named \(name)"
        case .invalidExpiry: "an expiry must be in the future"
        case .lastOwner: "a brand must keep at least one enabled owner"
        }
    }
}
