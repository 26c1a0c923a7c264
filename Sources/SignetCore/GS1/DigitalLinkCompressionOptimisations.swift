extension DigitalLinkCompression {
    /// A two-hex-digit code that stands for a common sequence of AIs, so their keys cost 8 bits in all.
    struct Optimisation: Sendable {
        let code: String
        let sequence: [String]
    }

    /// The standard's optimisation table, in the reference implementation's order: when two entries
    /// save as much, the encoder picks the earlier one, so the order is part of the output.
    /// Every code has a hex letter, which AI keys (decimal digits only) never have, so the two cannot be
    /// confused; a first digit `F` is kept for query parameters that are not AIs.
    static let optimisations: [Optimisation] = [
        .init(code: "0A", sequence: ["01", "22"]),
        .init(code: "0B", sequence: ["01", "10"]),
        .init(code: "0C", sequence: ["01", "21"]),
        .init(code: "0D", sequence: ["01", "17"]),
        .init(code: "0E", sequence: ["01", "7003"]),
        .init(code: "0F", sequence: ["01", "30"]),
        .init(code: "1A", sequence: ["01", "10", "21", "17"]),
        .init(code: "1B", sequence: ["01", "15"]),
        .init(code: "1C", sequence: ["01", "11"]),
        .init(code: "1D", sequence: ["01", "16"]),
        .init(code: "1E", sequence: ["01", "91"]),
        .init(code: "1F", sequence: ["01", "10", "15"]),
        .init(code: "2A", sequence: ["01", "3100"]),
        .init(code: "2B", sequence: ["01", "3101"]),
        .init(code: "2C", sequence: ["01", "3102"]),
        .init(code: "2D", sequence: ["01", "3103"]),
        .init(code: "2E", sequence: ["01", "3104"]),
        .init(code: "2F", sequence: ["01", "3105"]),
        .init(code: "3A", sequence: ["01", "3200"]),
        .init(code: "3B", sequence: ["01", "3201"]),
        .init(code: "3C", sequence: ["01", "3202"]),
        .init(code: "3D", sequence: ["01", "3203"]),
        .init(code: "3E", sequence: ["01", "3204"]),
        .init(code: "3F", sequence: ["01", "3205"]),
        .init(code: "9A", sequence: ["8010", "8011"]),
        .init(code: "9B", sequence: ["8017", "8019"]),
        .init(code: "9C", sequence: ["8018", "8019"]),
        .init(code: "9D", sequence: ["414", "254"]),
        .init(code: "A0", sequence: ["01", "3920"]),
        .init(code: "A1", sequence: ["01", "3921"]),
        .init(code: "A2", sequence: ["01", "3922"]),
        .init(code: "A3", sequence: ["01", "3923"]),
        .init(code: "A4", sequence: ["01", "3924"]),
        .init(code: "A5", sequence: ["01", "3925"]),
        .init(code: "A6", sequence: ["01", "3926"]),
        .init(code: "A7", sequence: ["01", "3927"]),
        .init(code: "A8", sequence: ["01", "3928"]),
        .init(code: "A9", sequence: ["01", "3929"]),
        .init(code: "C0", sequence: ["255", "3900"]),
        .init(code: "C1", sequence: ["255", "3901"]),
        .init(code: "C2", sequence: ["255", "3902"]),
        .init(code: "C3", sequence: ["255", "3903"]),
        .init(code: "C4", sequence: ["255", "3904"]),
        .init(code: "C5", sequence: ["255", "3905"]),
        .init(code: "C6", sequence: ["255", "3906"]),
        .init(code: "C7", sequence: ["255", "3907"]),
        .init(code: "C8", sequence: ["255", "3908"]),
        .init(code: "C9", sequence: ["255", "3909"]),
        .init(code: "CA", sequence: ["255", "3940"]),
        .init(code: "CB", sequence: ["255", "3941"]),
        .init(code: "CC", sequence: ["255", "3942"]),
        .init(code: "CD", sequence: ["255", "3943"]),
    ]

    static let optimisationByCode: [String: Optimisation] = Dictionary(
        optimisations.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }
    )

    /// The reference encoder's greedy choice: repeatedly take the entry whose AIs are all present and
    /// whose AI keys are longest in characters, until none fits. Returns the entries and the AIs left.
    static func chooseOptimisations(for codes: [String]) -> (chosen: [Optimisation], remaining: [String]) {
        var remaining = codes
        var chosen: [Optimisation] = []
        while true {
            var best: Optimisation?
            var bestLength = 0
            for optimisation in optimisations where optimisation.sequence.allSatisfy(remaining.contains) {
                let length = optimisation.sequence.reduce(0) { $0 + $1.count }
                if length > bestLength {
                    best = optimisation
                    bestLength = length
                }
            }
            guard let best else { break }
            remaining.removeAll(where: best.sequence.contains)
            chosen.append(best)
        }
        return (chosen, remaining)
    }
}
