import Foundation

/// Customer service's correction of a wallet's points at one brand: points
/// added (a scan that could not be claimed, a goodwill gesture) or taken back
/// (points earned by mistake), always with a reason. The balance never goes
/// below zero: taking back more than the wallet holds is refused, not clipped.
public struct PointsAdjustment: Sendable, Equatable {
    public var walletID: Int64
    public var points: Int
    public var reason: String

    public init(walletID: Int64, points: Int, reason: String) {
        self.walletID = walletID
        self.points = points
        self.reason = reason
    }

    public static let pointsRange = -1_000_000...1_000_000
    public static let reasonLimit = 500

    public enum Problem: String, Error, Sendable {
        case wallet
        case points
        case reason
        /// No live wallet with this number has a balance at the brand.
        case unknownWallet
        /// The wallet holds fewer points than are taken back.
        case wouldGoNegative
    }

    /// The adjustment as a form or a JSON body gives it: a wallet number (a
    /// leading `#` is allowed, as people copy it), signed points, a reason.
    public static func check(wallet: String, points: String, reason: String) -> Result<PointsAdjustment, Problem> {
        var walletText = Substring(wallet.trimmingCharacters(in: .whitespaces))
        if walletText.first == "#" { walletText = walletText.dropFirst() }
        guard let walletID = Int64(walletText), walletID > 0 else { return .failure(.wallet) }
        guard let points = Int(points.trimmingCharacters(in: .whitespaces)), points != 0, pointsRange.contains(points) else {
            return .failure(.points)
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= reasonLimit else { return .failure(.reason) }
        return .success(PointsAdjustment(walletID: walletID, points: points, reason: reason))
    }

    /// The balance after the adjustment, or why it cannot be made.
    public static func balance(after adjustment: Int, from balance: Int) -> Result<Int, Problem> {
        let result = balance + adjustment
        return result >= 0 ? .success(result) : .failure(.wouldGoNegative)
    }
}
