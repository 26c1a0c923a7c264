import SignetCore
import Testing

@Suite("Loyalty claim rules")
struct ClaimRulesTests {
    static let terms = LoyaltyTerms(enabled: true, defaultPoints: 10, dailyClaims: 3, claimGapSeconds: 60, expiryDays: 365)

    static func facts(
        terms: LoyaltyTerms = terms, verdict: Verdict = .genuineFirst, productPoints: Int? = nil,
        earnedBy: ClaimRules.SealEarner = .nobody, claimsToday: Int = 0, since: Double? = nil
    ) -> ClaimRules.Facts {
        ClaimRules.Facts(
            terms: terms, verdict: verdict, productPoints: productPoints, sealEarnedBy: earnedBy,
            claimsToday: claimsToday, secondsSinceLastClaim: since)
    }

    @Test("a genuine first scan earns the product's points, else the brand's")
    func points() {
        #expect(ClaimRules.decide(Self.facts()) == .award(points: 10))
        #expect(ClaimRules.decide(Self.facts(productPoints: 25)) == .award(points: 25))
        #expect(ClaimRules.decide(Self.facts(productPoints: 0)) == .refused(.noPoints))
    }

    @Test("every other verdict earns nothing", arguments: Verdict.allCases.filter { $0 != .genuineFirst })
    func otherVerdicts(verdict: Verdict) {
        #expect(ClaimRules.decide(Self.facts(verdict: verdict)) == .refused(.notGenuineFirst))
    }

    @Test("a seal earns once: the first claimant's retry changes nothing, anyone else is refused")
    func oncePerSeal() {
        #expect(ClaimRules.decide(Self.facts(earnedBy: .thisWallet)) == .alreadyAwarded)
        #expect(ClaimRules.decide(Self.facts(earnedBy: .anotherWallet)) == .refused(.sealAlreadyClaimed))
    }

    @Test("the daily cap and the gap between claims hold; a programme turned off earns nothing")
    func limits() {
        #expect(ClaimRules.decide(Self.facts(claimsToday: 2, since: 61)) == .award(points: 10))
        #expect(ClaimRules.decide(Self.facts(claimsToday: 3, since: 3600)) == .refused(.dailyLimit))
        #expect(ClaimRules.decide(Self.facts(claimsToday: 1, since: 59.9)) == .refused(.tooSoon))
        var off = Self.terms
        off.enabled = false
        #expect(ClaimRules.decide(Self.facts(terms: off)) == .refused(.programmeOff))
    }
}

@Suite("Loyalty redemption rules")
struct RedemptionRulesTests {
    static func facts(
        balance: Int = 500, cost: Int = 100, stock: Int? = nil, limit: Int? = nil, redeemed: Int = 0, archived: Bool = false,
        from: Double? = nil, until: Double? = nil, now: Double = 1_000
    ) -> RedemptionRules.Facts {
        RedemptionRules.Facts(
            balance: balance, cost: cost, stock: stock, perWalletLimit: limit, redeemedByWallet: redeemed, archived: archived,
            activeFrom: from, activeUntil: until, now: now)
    }

    @Test("enough points and stock redeem; the exact balance is enough")
    func allowed() {
        #expect(RedemptionRules.refusal(Self.facts()) == nil)
        #expect(RedemptionRules.refusal(Self.facts(balance: 100, stock: 1, limit: 1)) == nil)
    }

    @Test("each refusal, checked in the order a consumer can act on")
    func refusals() {
        #expect(RedemptionRules.refusal(Self.facts(balance: 99)) == .notEnoughPoints)
        #expect(RedemptionRules.refusal(Self.facts(stock: 0)) == .outOfStock)
        #expect(RedemptionRules.refusal(Self.facts(limit: 2, redeemed: 2)) == .walletLimit)
        #expect(RedemptionRules.refusal(Self.facts(archived: true)) == .notAvailable)
        #expect(RedemptionRules.refusal(Self.facts(from: 1_001)) == .notAvailable)
        #expect(RedemptionRules.refusal(Self.facts(until: 1_000)) == .notAvailable)
        #expect(RedemptionRules.refusal(Self.facts(from: 999, until: 1_001)) == nil)
    }
}

@Suite("Voucher codes")
struct VoucherCodeTests {
    @Test("60 random bits become 12 Crockford characters in groups of four")
    func format() {
        let code = VoucherCode(randomBytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(code.normalized == "ZZZZZZZZZZZZ")
        #expect(code.description == "ZZZZ-ZZZZ-ZZZZ")
        let zero = VoucherCode(randomBytes: [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(zero.description == "0000-0000-0000")
        let mixed = VoucherCode(randomBytes: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(mixed.normalized.count == 12)
        #expect(mixed.normalized.allSatisfy { VoucherCode.alphabet.contains($0) })
    }

    @Test("reading forgives case, separators and the letters people confuse with digits")
    func reading() {
        #expect(VoucherCode(reading: "7kq2-m9xd-4trb")?.normalized == "7KQ2M9XD4TRB")
        #expect(VoucherCode(reading: " 7KQ2 M9XD 4TRB ")?.normalized == "7KQ2M9XD4TRB")
        #expect(VoucherCode(reading: "O0IL-0000-0000")?.normalized == "001100000000")
        #expect(VoucherCode(reading: "7KQ2-M9XD-4TR") == nil)
        #expect(VoucherCode(reading: "7KQ2-M9XD-4TRBB") == nil)
        #expect(VoucherCode(reading: "7KQ2-M9XD-4TRU") == nil)
        #expect(VoucherCode(reading: "") == nil)
    }
}
