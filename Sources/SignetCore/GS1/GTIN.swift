/// A Global Trade Item Number, normalised to its 14-digit form.
///
/// GTIN-8, GTIN-12 and GTIN-13 are the same number space padded with leading
/// zeros, so storing and comparing the 14-digit form lets a seal printed with a
/// 13-digit EAN resolve to the product registered with its GTIN-14.
public struct GTIN: Hashable, Sendable, CustomStringConvertible {
    /// Always 14 ASCII digits.
    public let digits: String

    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard [8, 12, 13, 14].contains(bytes.count),
              bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return nil }
        let values = bytes.map { Int($0 - 0x30) }
        guard GTIN.checkDigit(of: values.dropLast()) == values.last else { return nil }
        digits = String(repeating: "0", count: 14 - bytes.count) + String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { digits }

    static func checkDigit(of data: some Collection<Int>) -> Int {
        GS1CheckDigit.of(data)
    }
}
