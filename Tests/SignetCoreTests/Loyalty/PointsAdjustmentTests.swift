import SignetCore
import Testing

@Suite("Point adjustments")
struct PointsAdjustmentTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var wallet: String
        var points: String
        var reason: String
        var expected: Result<PointsAdjustment, PointsAdjustment.Problem>
        var testDescription: String { "\(wallet) \(points) \(reason)" }
    }

    @Test("what a form or a body gives is read, or refused with the field at fault", arguments: [
        Case(wallet: "42", points: "50", reason: "goodwill", expected: .success(.init(walletID: 42, points: 50, reason: "goodwill"))),
        Case(wallet: " #42 ", points: "-7", reason: "  scan counted twice \n", expected: .success(.init(walletID: 42, points: -7, reason: "scan counted twice"))),
        Case(wallet: "W42", points: "5", reason: "x", expected: .failure(.wallet)),
        Case(wallet: "0", points: "5", reason: "x", expected: .failure(.wallet)),
        Case(wallet: "-3", points: "5", reason: "x", expected: .failure(.wallet)),
        Case(wallet: "42", points: "0", reason: "x", expected: .failure(.points)),
        Case(wallet: "42", points: "1000001", reason: "x", expected: .failure(.points)),
        Case(wallet: "42", points: "-1000000", reason: "x", expected: .success(.init(walletID: 42, points: -1_000_000, reason: "x"))),
        Case(wallet: "42", points: "1.5", reason: "x", expected: .failure(.points)),
        Case(wallet: "42", points: "5", reason: "   ", expected: .failure(.reason)),
        Case(wallet: "42", points: "5", reason: String(repeating: "é", count: 501), expected: .failure(.reason)),
    ])
    func check(_ example: Case) {
        #expect(PointsAdjustment.check(wallet: example.wallet, points: example.points, reason: example.reason) == example.expected)
    }

    @Test("a balance never goes below zero: taking back more than is held is refused, not clipped")
    func balance() {
        #expect(PointsAdjustment.balance(after: -30, from: 100) == .success(70))
        #expect(PointsAdjustment.balance(after: -100, from: 100) == .success(0))
        #expect(PointsAdjustment.balance(after: -101, from: 100) == .failure(.wouldGoNegative))
        #expect(PointsAdjustment.balance(after: 25, from: 0) == .success(25))
    }
}
