/// One of a product's free characteristics in one language: "Volume" / "75 cl".
public struct Characteristic: Codable, Equatable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public static let maximumCount = 50
    public static let maximumNameLength = 100
    public static let maximumValueLength = 500

    /// Reads the portal's text form, one `name: value` per line; blank lines
    /// are skipped. Returns the 1-based numbers of lines that are not of that
    /// form (no colon, or an empty or over-long side) in `invalidLines`.
    public static func parseLines(_ text: String) -> (characteristics: [Characteristic], invalidLines: [Int]) {
        var characteristics: [Characteristic] = []
        var invalid: [Int] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingWhitespace()
            guard !trimmed.isEmpty else { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                invalid.append(index + 1)
                continue
            }
            let characteristic = Characteristic(
                name: trimmed[..<colon].trimmingWhitespace(),
                value: trimmed[trimmed.index(after: colon)...].trimmingWhitespace())
            guard characteristic.isValid else {
                invalid.append(index + 1)
                continue
            }
            characteristics.append(characteristic)
        }
        return (characteristics, invalid)
    }

    /// The text form `parseLines` reads.
    public static func lines(_ characteristics: [Characteristic]) -> String {
        characteristics.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    public var isValid: Bool {
        !name.isEmpty && !value.isEmpty && name.count <= Self.maximumNameLength && value.count <= Self.maximumValueLength
            && !name.contains("\n") && !value.contains("\n")
    }
}
