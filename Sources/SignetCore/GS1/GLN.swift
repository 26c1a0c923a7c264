/// A Global Location Number: the 13 digits that name a party or a place
/// (a distributor, a warehouse, a shop), the last a GS1 check digit (AI 414).
public struct GLN: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    public init?(_ text: some StringProtocol) {
        guard let digits = GS1CheckDigit.validDigits(text, count: 13) else { return nil }
        self.digits = digits
    }

    public var description: String { digits }
}
