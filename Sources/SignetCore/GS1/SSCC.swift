/// A Serial Shipping Container Code: the 18 digits that name one carton or
/// pallet, the last a GS1 check digit (AI 00).
public struct SSCC: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    public init?(_ text: some StringProtocol) {
        guard let digits = GS1CheckDigit.validDigits(text, count: 18) else { return nil }
        self.digits = digits
    }

    public var description: String { digits }
}
