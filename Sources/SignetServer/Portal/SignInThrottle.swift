import SignetCore

/// Sign-in attempts per account and per client address in a 15-minute
/// window, so a password cannot be guessed quickly from one address or
/// against one account from many. Counted across every instance
/// (`RateLimit`). An account that does not exist is counted like one that
/// does, so the answer never tells them apart.
final class SignInThrottle: Sendable {
    private let perAccount: RateLimit<String>
    private let perAddress: RateLimit<IPAddress>

    /// - Parameter name: tells this door's counts from another's ("portal", "wallet").
    init(name: String, perAccount: Int = 10, perAddress: Int = 50, windowSeconds: Double = 900, exchange: RateLimitExchange?) {
        self.perAccount = RateLimit(scope: "\(name) sign-in account", limit: perAccount, windowSeconds: windowSeconds, exchange: exchange)
        self.perAddress = RateLimit(scope: "\(name) sign-in address", limit: perAddress, windowSeconds: windowSeconds, exchange: exchange)
    }

    /// Counts an attempt; throws `RateLimited` when either budget is spent.
    func attempt(email: String, address: IPAddress?) throws(RateLimited) {
        try perAddress.check(address?.unmappingIPv4)
        try perAccount.check(email.lowercased())
    }
}
