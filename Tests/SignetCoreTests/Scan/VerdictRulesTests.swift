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
                        for lotExpired in [false, true] {
                            for scanCount in [0, 1, 2, 3, 1000] {
                                for scanSessions in [0, 1, 3, 4] {
                                    for (tapFresh, tampered) in [(true, false), (false, false), (true, true), (false, true)] {
                                        for traceState in [nil] + TraceState.allCases.map(Optional.some) {
                                            all.append(ScanFacts(
                                                sealFound: sealFound, tokenValid: tokenValid, lotMatches: lotMatches,
                                                sealStatus: status, lotRecalled: lotRecalled, lotExpired: lotExpired,
                                                scanCount: scanCount, scanSessions: scanSessions, sessionLimit: 3,
                                                tapFresh: tapFresh, tampered: tampered, traceState: traceState))
                                        }
                                    }
                                }
                            }
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
    let recalled = facts.lotRecalled || facts.traceState == .recalled
    let expired = facts.lotExpired || facts.traceState == .expired
    let key = (authentic ? "A" : "-") + (facts.tapFresh ? "F" : "-") + (recalled ? "R" : "-")
        + (facts.traceState == .destroyed ? "D" : "-") + (facts.traceState == .stolen ? "L" : "-")
        + (facts.sealStatus == .active ? "S" : "-") + (facts.tampered ? "T" : "-") + (expired ? "E" : "-")
        + (facts.scanSessions > facts.sessionLimit ? "X" : "-") + (facts.scanCount > 1 ? "N" : "1")
    // "." matches either value of its position.
    let table: [(String, Verdict)] = [
        ("A-........", .replayed),
        ("AFR.......", .recalled),
        ("AF-D......", .destroyed),
        ("AF--L.....", .stolen),
        ("AF----....", .inactive),
        ("AF---ST...", .tampered),
        ("AF---S-E..", .expired),
        ("AF---S--X.", .suspicious),
        ("AF---S---1", .genuineFirst),
        ("AF---S---N", .genuineSeen),
    ]
    let matches = table.filter { pattern, _ in zip(pattern, key).allSatisfy { $0 == "." || $0 == $1 } }
    precondition(key.hasPrefix("-") || matches.count == 1, "table must cover \(key) exactly once")
    return key.hasPrefix("-") ? .counterfeit : matches[0].1
}

@Suite("Verdict rules")
struct VerdictRulesTests {
    private static func facts(
        sealFound: Bool = true, tokenValid: Bool = true, lotMatches: Bool = true,
        status: SealStatus? = .active, lotRecalled: Bool = false, lotExpired: Bool = false, scanCount: Int = 1,
        scanSessions: Int = 1, sessionLimit: Int = 5
    ) -> ScanFacts {
        ScanFacts(sealFound: sealFound, tokenValid: tokenValid, lotMatches: lotMatches,
                  sealStatus: status, lotRecalled: lotRecalled, lotExpired: lotExpired, scanCount: scanCount,
                  scanSessions: scanSessions, sessionLimit: sessionLimit)
    }

    @Test("a seal verified in more sessions than the brand allows is suspicious; at the limit it is not")
    func suspicious() {
        #expect(VerdictRules.decide(Self.facts(scanCount: 9, scanSessions: 5)) == .genuineSeen)
        #expect(VerdictRules.decide(Self.facts(scanCount: 9, scanSessions: 6)) == .suspicious)
        // The first verifier's reloads never reach the limit, but a copied code does even for them.
        #expect(VerdictRules.decide(Self.facts(scanCount: 1, scanSessions: 6)) == .suspicious)
    }

    @Test("an expired lot outranks sessions; a recall and an inactive seal outrank expiry")
    func expired() {
        #expect(VerdictRules.decide(Self.facts(lotExpired: true)) == .expired)
        #expect(VerdictRules.decide(Self.facts(lotExpired: true, scanSessions: 9)) == .expired)
        #expect(VerdictRules.decide(Self.facts(lotRecalled: true, lotExpired: true)) == .recalled)
        #expect(VerdictRules.decide(Self.facts(status: .deactivated, lotExpired: true)) == .inactive)
        #expect(VerdictRules.decide(Self.facts(tokenValid: false, lotExpired: true)) == .counterfeit)
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
        #expect(allFacts.count == 2 * 2 * 2 * 4 * 2 * 2 * 5 * 4 * 4 * 5)
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
            #expect((verdict == .replayed) == (authentic && !facts.tapFresh), "\(facts)")
            let fresh = authentic && facts.tapFresh
            let recalled = facts.lotRecalled || facts.traceState == .recalled
            #expect((verdict == .recalled) == (fresh && recalled), "\(facts)")
            let reported = fresh && !recalled
            #expect((verdict == .destroyed) == (reported && facts.traceState == .destroyed), "\(facts)")
            #expect((verdict == .stolen) == (reported && facts.traceState == .stolen), "\(facts)")
            let present = reported && facts.traceState != .destroyed && facts.traceState != .stolen
            #expect((verdict == .inactive) == (present && facts.sealStatus != .active), "\(facts)")
            let active = present && facts.sealStatus == .active
            #expect((verdict == .tampered) == (active && facts.tampered), "\(facts)")
            let usable = active && !facts.tampered
            let expired = facts.lotExpired || facts.traceState == .expired
            #expect((verdict == .expired) == (usable && expired), "\(facts)")
            #expect((verdict == .suspicious) == (usable && !expired && facts.scanSessions > facts.sessionLimit), "\(facts)")
            #expect(genuine == (usable && !expired && facts.scanSessions <= facts.sessionLimit), "\(facts)")
            if genuine { #expect((verdict == .genuineSeen) == (facts.scanCount >= 2), "\(facts)") }
            // Only an authentic verdict may show the product page, and not for a copied tap.
            #expect(verdict.showsProduct == (authentic && facts.tapFresh), "\(facts)")
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
