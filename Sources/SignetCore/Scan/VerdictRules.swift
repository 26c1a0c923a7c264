/// The verdict rules, strongest first.
///
/// The scan statement applies the same rules in SQL (`signet_verdict`) so the
/// consultation row is written in the same round trip; a test checks both over
/// every combination of facts.
public enum VerdictRules {
    public static func decide(_ facts: ScanFacts) -> Verdict {
        // An unauthenticated URL says nothing about any real seal.
        guard facts.sealFound, facts.tokenValid, facts.lotMatches, let status = facts.sealStatus else {
            return .counterfeit
        }
        // A real tap's URL opened again elsewhere: it says nothing about the seal in hand.
        guard facts.tapFresh else { return .replayed }
        // Safety first: a recall outranks the seal's own state.
        if facts.lotRecalled || facts.traceState == .recalled { return .recalled }
        // What the supply chain reported about the unit says more than a seal not yet activated.
        if facts.traceState == .destroyed { return .destroyed }
        if facts.traceState == .stolen { return .stolen }
        guard status == .active else { return .inactive }
        if facts.tampered { return .tampered }
        if facts.lotExpired || facts.traceState == .expired { return .expired }
        // Many people verifying one seal: its code has probably been copied.
        if facts.scanSessions > facts.sessionLimit { return .suspicious }
        // The first verifier's own reloads must not make their product look copied.
        return facts.scanCount <= 1 || facts.firstVisitorAgain ? .genuineFirst : .genuineSeen
    }
}
