/// The brands' NFC master keys, from a file the operator keeps outside the
/// database (`SIGNET_NFC_KEYS_FILE`): a copy of the database then forges no
/// tap. One key per line, `brand-slug version hex`, e.g.
///
///     # brand   version  AES-128 master key
///     demo      1        00112233445566778899AABBCCDDEEFF
///     demo      2        8F1E…
///
/// A brand rotates by adding a version: tags keep the version they were
/// programmed with, new tags take the highest.
public struct NFCKeyRing: Sendable, Equatable {
    private var keys: [String: [UInt8: [UInt8]]]

    public static let empty = NFCKeyRing(keys: [:])

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    private init(keys: [String: [UInt8: [UInt8]]]) {
        self.keys = keys
    }

    public init(text: String) throws(Problem) {
        var keys: [String: [UInt8: [UInt8]]] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 3 else { throw Problem(line: index + 1, reason: "expected: brand-slug version hex-key") }
            guard let version = UInt8(fields[1]), version >= 1 else { throw Problem(line: index + 1, reason: "the version is 1 to 255") }
            guard fields[2].utf8.count == 32, let key = Hex.decode(fields[2]) else {
                throw Problem(line: index + 1, reason: "the key is 32 hexadecimal digits (AES-128)")
            }
            let brand = String(fields[0])
            guard keys[brand]?[version] == nil else { throw Problem(line: index + 1, reason: "\(brand) version \(version) is given twice") }
            keys[brand, default: [:]][version] = key
        }
        self.keys = keys
    }

    /// The brand's master key at `version`.
    public func master(brand: String, version: UInt8) -> [UInt8]? {
        keys[brand]?[version]
    }

    /// Every master key of the brand, by version.
    public func masters(brand: String) -> [(version: UInt8, key: [UInt8])] {
        (keys[brand] ?? [:]).map { ($0.key, $0.value) }
    }

    /// The version new tags of the brand are programmed with; nil when the brand has no key.
    public func currentVersion(brand: String) -> UInt8? {
        keys[brand]?.keys.max()
    }

    public var brands: [String] { keys.keys.sorted() }
}
