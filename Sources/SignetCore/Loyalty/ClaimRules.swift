/// Whether a claim of points earns anything, and how many. The store reads
/// the facts and applies the decision in one transaction, under the lock of
/// the wallet's balance at the brand; a unique index keeps "once per seal"
/// true even when two wallets decide at the same instant.
public enum ClaimRules {
    public struct Facts: Sendable {
        public var terms: LoyaltyTerms
        public var verdict: Verdict
        /// The product's own points, if it sets them.
        public var productPoints: Int?
        /// Who already earned this seal's points: nobody, this wallet, another.
        public var sealEarnedBy: SealEarner
        /// This wallet's claims at this brand on `today`.
        public var claimsToday: Int
        /// Seconds since this wallet's last claim at this brand; nil if none.
        public var secondsSinceLastClaim: Double?

        public init(
            terms: LoyaltyTerms, verdict: Verdict, productPoints: Int?, sealEarnedBy: SealEarner,
            claimsToday: Int, secondsSinceLastClaim: Double?
        ) {
            self.terms = terms
            self.verdict = verdict
            self.productPoints = productPoints
            self.sealEarnedBy = sealEarnedBy
            self.claimsToday = claimsToday
            self.secondsSinceLastClaim = secondsSinceLastClaim
        }
    }

    public enum SealEarner: Sendable, Equatable {
        case nobody, thisWallet, anotherWallet
    }

    public enum Decision: Sendable, Equatable {
        case award(points: Int)
        /// A retry of a claim that already earned: nothing more, and no error.
        case alreadyAwarded
        case refused(Refusal)
    }

    public enum Refusal: String, Sendable, Equatable {
        case programmeOff = "programme_off"
        case notGenuineFirst = "not_genuine_first"
        case sealAlreadyClaimed = "seal_already_claimed"
        case dailyLimit = "daily_limit"
        case tooSoon = "too_soon"
        case noPoints = "no_points"
    }

    public static func decide(_ facts: Facts) -> Decision {
        switch facts.sealEarnedBy {
        case .thisWallet: return .alreadyAwarded
        case .anotherWallet: return .refused(.sealAlreadyClaimed)
        case .nobody: break
        }
        guard facts.terms.enabled else { return .refused(.programmeOff) }
        guard facts.verdict == .genuineFirst else { return .refused(.notGenuineFirst) }
        let points = facts.terms.points(forProduct: facts.productPoints)
        guard points > 0 else { return .refused(.noPoints) }
        guard facts.claimsToday < facts.terms.dailyClaims else { return .refused(.dailyLimit) }
        if let since = facts.secondsSinceLastClaim, since < Double(facts.terms.claimGapSeconds) {
            return .refused(.tooSoon)
        }
        return .award(points: points)
    }
}
