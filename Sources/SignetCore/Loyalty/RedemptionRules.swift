/// Whether a wallet may redeem a reward now. The store applies the decision
/// under the locks of the wallet's balance and the reward's row, and the
/// database's checks keep a balance and a stock from going below zero.
public enum RedemptionRules {
    public struct Facts: Sendable {
        public var balance: Int
        public var cost: Int
        /// Nil: unlimited.
        public var stock: Int?
        public var perWalletLimit: Int?
        /// This wallet's redemptions of the reward that were not cancelled.
        public var redeemedByWallet: Int
        public var archived: Bool
        /// Seconds since 1970.
        public var activeFrom: Double?
        public var activeUntil: Double?
        public var now: Double

        public init(
            balance: Int, cost: Int, stock: Int?, perWalletLimit: Int?, redeemedByWallet: Int, archived: Bool,
            activeFrom: Double?, activeUntil: Double?, now: Double
        ) {
            self.balance = balance
            self.cost = cost
            self.stock = stock
            self.perWalletLimit = perWalletLimit
            self.redeemedByWallet = redeemedByWallet
            self.archived = archived
            self.activeFrom = activeFrom
            self.activeUntil = activeUntil
            self.now = now
        }
    }

    public enum Refusal: String, Sendable, Equatable, Error {
        case notAvailable = "not_available"
        case outOfStock = "out_of_stock"
        case walletLimit = "wallet_limit"
        case notEnoughPoints = "not_enough_points"
    }

    /// Nil when the wallet may redeem.
    public static func refusal(_ facts: Facts) -> Refusal? {
        if facts.archived { return .notAvailable }
        if let from = facts.activeFrom, facts.now < from { return .notAvailable }
        if let until = facts.activeUntil, facts.now >= until { return .notAvailable }
        if let stock = facts.stock, stock <= 0 { return .outOfStock }
        if let limit = facts.perWalletLimit, facts.redeemedByWallet >= limit { return .walletLimit }
        if facts.balance < facts.cost { return .notEnoughPoints }
        return nil
    }
}
