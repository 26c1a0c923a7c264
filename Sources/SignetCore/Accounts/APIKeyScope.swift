/// What an API key may do; a key carries one or more.
public enum APIKeyScope: String, Sendable, CaseIterable, Codable {
    case productsRead = "products:read"
    case productsWrite = "products:write"
    case sealsRead = "seals:read"
    case sealsWrite = "seals:write"
    case consultationsRead = "consultations:read"
    case alertsRead = "alerts:read"
    case alertsWrite = "alerts:write"
    case statsRead = "stats:read"
    case eventsRead = "events:read"
    case eventsWrite = "events:write"
    /// Check a voucher and mark it used: what a shop's till needs, and nothing more.
    case vouchersUse = "vouchers:use"
    /// The loyalty programme: terms, rewards, redemptions, totals.
    case loyaltyRead = "loyalty:read"
    case loyaltyWrite = "loyalty:write"

    /// "products:read,seals:write" → scopes; nil names the first unknown scope.
    public static func parseList(_ text: String) -> Result<[APIKeyScope], UnknownScope> {
        var scopes: [APIKeyScope] = []
        for part in text.split(separator: ",") {
            let name = String(part).trimmingWhitespace()
            guard let scope = APIKeyScope(rawValue: name) else { return .failure(UnknownScope(name: name)) }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        return scopes.isEmpty ? .failure(UnknownScope(name: "")) : .success(scopes)
    }

    public struct UnknownScope: Error, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String {
            name.isEmpty
                ? "at least one scope is needed (\(APIKeyScope.allCases.map(\.rawValue).joined(separator: ", ")))"
                : "unknown scope \"\(name)\" (known: \(APIKeyScope.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
