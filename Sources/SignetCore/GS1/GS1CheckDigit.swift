/// The check digit every GS1 key of fixed length ends with (GTIN, GLN, SSCC).
enum GS1CheckDigit {
    /// GS1 mod-10: weights 3 and 1 alternate from the rightmost data digit.
    static func of(_ data: some Collection<Int>) -> Int {
        var sum = 0
        for (offset, digit) in data.reversed().enumerated() {
            sum += digit * (offset.isMultiple(of: 2) ? 3 : 1)
        }
        return (10 - sum % 10) % 10
    }

    /// The digits of `text` when it is exactly `count` ASCII digits ending in a right check digit.
    static func validDigits(_ text: some StringProtocol, count: Int) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == count, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let values = bytes.map { Int($0 - 0x30) }
        guard of(values.dropLast()) == values.last else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `data` (digits only) completed with its check digit.
    static func completing(_ data: String) -> String {
        data + String(of(data.utf8.map { Int($0 - 0x30) }))
    }
}
