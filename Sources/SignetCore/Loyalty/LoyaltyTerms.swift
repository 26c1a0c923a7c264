/// A brand's loyalty programme, as its owners set it.
public struct LoyaltyTerms: Sendable, Equatable {
    public var enabled: Bool
    /// Points for a genuine first scan of a product that sets none of its own.
    public var defaultPoints: Int
    /// Claims one wallet may make at this brand per UTC day.
    public var dailyClaims: Int
    /// Seconds a wallet waits between two claims at this brand.
    public var claimGapSeconds: Int
    /// Days without a claim or redemption after which a balance expires; nil: never.
    public var expiryDays: Int?

    public init(enabled: Bool, defaultPoints: Int, dailyClaims: Int, claimGapSeconds: Int, expiryDays: Int?) {
        self.enabled = enabled
        self.defaultPoints = defaultPoints
        self.dailyClaims = dailyClaims
        self.claimGapSeconds = claimGapSeconds
        self.expiryDays = expiryDays
    }

    /// Points a genuine first scan of a product earns: the product's own, else the brand's.
    public func points(forProduct productPoints: Int?) -> Int {
        productPoints ?? defaultPoints
    }
}
