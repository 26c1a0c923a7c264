import Testing
import SignetCore

/// Every combination of the facts the rules look at.
private let allFacts: [ScanFacts] = {
    var all: [ScanFacts] = []
    for sealFound in [false, true] {
        for tokenValid in [false, true] {
            for lotMatches in [false, true] {
                for status in [nil] + SealStatus.allCases.map(Optional.some) {
                    for lotRecalled in [false, true] {
                        for scanCount in [0, 1, 2, 3, 1000] {
                            all.append(ScanFacts(
                                sealFound: sealFound, tokenValid: tokenValid, lotMatches: lotMatches,
                                sealStatus: status, lotRecalled: lotRecalled, scanCount: scanCount))
                        }
                    }
                }
            }
        }
    }
    return all
}()

/// The expected rule table, written as a lookup over a key rather than as
/// nested guards, so that it does not simply restate the implementation.
private func expectedVerdict(_ facts: ScanFacts) -> Verdict {
    let authentic = [facts.sealFound, facts.tokenValid, facts.lotMatches, facts.sealStatus != nil].allSatisfy { $0 }
    let key = (authentic ? "A" : "-") + (facts.lotRecalled ? "R" : "-")
        + (facts.sealStatus == .active ? "S" : "-") + (facts.scanCount > 1 ? "N" : "1")
    let table: [String: Verdict] = [
        "AR-1": .recalled, "AR-N": .recalled, "ARS1": .recalled, "ARSN": .recalled,
        "A--1": .inactive, "A--N": .inactive,
        "A-S1": .genuineFirst,
        "A-SN": .genuineSeen,
    ]
    return key.hasPrefix("-") ? .counterfeit : table[key]!
}

@Suite("Verdict rules")
struct VerdictRulesTests {
    private static func facts(
        sealFound: Bool = true, tokenValid: Bool = true, lotMatches: Bool = true,
        status: SealStatus? = .active, lotRecalled: Bool = false, scanCount: Int = 1
    ) -> ScanFacts {
        ScanFacts(sealFound: sealFound, tokenValid: tokenValid, lotMatches: lotMatches,
                  sealStatus: status, lotRecalled: lotRecalled, scanCount: scanCount)
    }

    @Test("first verified scan of an active seal is genuine, first")
    func genuineFirst() {
        #expect(VerdictRules.decide(Self.facts(scanCount: 1)) == .genuineFirst)
        // A scan that was not counted (0) is still not a repeat.
        #expect(VerdictRules.decide(Self.facts(scanCount: 0)) == .genuineFirst)
    }

    @Test("later scans are genuine, seen", arguments: [2, 3, 50, Int.max])
    func genuineSeen(_ count: Int) {
        #expect(VerdictRules.decide(Self.facts(scanCount: count)) == .genuineSeen)
    }

    @Test("each missing proof of authenticity is counterfeit")
    func counterfeit() {
        #expect(VerdictRules.decide(Self.facts(sealFound: false, status: nil)) == .counterfeit)
        #expect(VerdictRules.decide(Self.facts(sealFound: false)) == .counterfeit)
        #expect(VerdictRules.decide(Self.facts(tokenValid: false)) == .counterfeit)
        #expect(VerdictRules.decide(Self.facts(lotMatches: false)) == .counterfeit)
        #expect(VerdictRules.decide(Self.facts(status: nil)) == .counterfeit)
    }

    @Test("counterfeit outranks recalled and inactive")
    func counterfeitPrecedence() {
        #expect(VerdictRules.decide(Self.facts(tokenValid: false, lotRecalled: true)) == .counterfeit)
        #expect(VerdictRules.decide(Self.facts(tokenValid: false, status: .deactivated)) == .counterfeit)
        #expect(VerdictRules.decide(Self.facts(lotMatches: false, status: .pending, lotRecalled: true)) == .counterfeit)
    }

    @Test("recalled outranks the seal's own state", arguments: SealStatus.allCases)
    func recalled(_ status: SealStatus) {
        #expect(VerdictRules.decide(Self.facts(status: status, lotRecalled: true, scanCount: 1)) == .recalled)
        #expect(VerdictRules.decide(Self.facts(status: status, lotRecalled: true, scanCount: 7)) == .recalled)
    }

    @Test("pending and deactivated seals are inactive", arguments: [SealStatus.pending, .deactivated])
    func inactive(_ status: SealStatus) {
        #expect(VerdictRules.decide(Self.facts(status: status, scanCount: 1)) == .inactive)
        #expect(VerdictRules.decide(Self.facts(status: status, scanCount: 9)) == .inactive)
    }

    @Test("the full product of facts matches the reference table")
    func exhaustive() {
        #expect(allFacts.count == 2 * 2 * 2 * 4 * 2 * 5)
        for facts in allFacts {
            #expect(VerdictRules.decide(facts) == expectedVerdict(facts), "\(facts)")
        }
        // Every verdict is reachable.
        #expect(Set(allFacts.map(VerdictRules.decide)) == Set(Verdict.allCases))
    }

    @Test("invariants over every combination")
    func invariants() {
        for facts in allFacts {
            let verdict = VerdictRules.decide(facts)
            let authentic = facts.sealFound && facts.tokenValid && facts.lotMatches && facts.sealStatus != nil
            let genuine = verdict == .genuineFirst || verdict == .genuineSeen
            // Never genuine (or anything but counterfeit) without all proofs.
            if !facts.tokenValid || !facts.sealFound || !facts.lotMatches { #expect(verdict == .counterfeit, "\(facts)") }
            #expect((verdict == .counterfeit) == !authentic, "\(facts)")
            #expect((verdict == .recalled) == (authentic && facts.lotRecalled), "\(facts)")
            #expect((verdict == .inactive) == (authentic && !facts.lotRecalled && facts.sealStatus != .active), "\(facts)")
            #expect(genuine == (authentic && !facts.lotRecalled && facts.sealStatus == .active), "\(facts)")
            if genuine { #expect((verdict == .genuineSeen) == (facts.scanCount >= 2), "\(facts)") }
            // Only an authentic verdict may show the product page.
            #expect(verdict.showsProduct == authentic, "\(facts)")
        }
    }

    @Test("the scan count only matters for genuine verdicts")
    func scanCountIrrelevantOtherwise() {
        for facts in allFacts {
            let verdict = VerdictRules.decide(facts)
            for count in [0, 1, 2, 99] {
                var other = facts
                other.scanCount = count
                let changed = VerdictRules.decide(other)
                if verdict == .genuineFirst || verdict == .genuineSeen {
                    #expect(changed == (count <= 1 ? .genuineFirst : .genuineSeen), "\(other)")
                } else {
                    #expect(changed == verdict, "\(other)")
                }
            }
        }
    }

    @Test("lotMatches defaults to true")
    func lotMatchesDefault() {
        let facts = ScanFacts(sealFound: true, tokenValid: true, sealStatus: .active, lotRecalled: false, scanCount: 1)
        #expect(facts.lotMatches)
        #expect(VerdictRules.decide(facts) == .genuineFirst)
    }
}

@Suite("Verdict rules: the first verifier again")
struct FirstVisitorAgainTests {
    @Test("a reload by the first verifier stays genuine_first whatever the count")
    func reloadStaysFirst() {
        for count in [2, 3, 50] {
            let facts = ScanFacts(sealFound: true, tokenValid: true, sealStatus: .active, lotRecalled: false, scanCount: count, firstVisitorAgain: true)
            #expect(VerdictRules.decide(facts) == .genuineFirst)
            var other = facts
            other.firstVisitorAgain = false
            #expect(VerdictRules.decide(other) == .genuineSeen)
        }
    }

    @Test("being the first verifier never outranks counterfeit, recall or inactive")
    func doesNotOutrankOthers() {
        let base = ScanFacts(sealFound: true, tokenValid: true, sealStatus: .active, lotRecalled: false, scanCount: 2, firstVisitorAgain: true)
        var badToken = base; badToken.tokenValid = false
        var recalled = base; recalled.lotRecalled = true
        var inactive = base; inactive.sealStatus = .deactivated
        #expect(VerdictRules.decide(badToken) == .counterfeit)
        #expect(VerdictRules.decide(recalled) == .recalled)
        #expect(VerdictRules.decide(inactive) == .inactive)
    }
}
