/// A parsed GS1 Digital Link URI path: `/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]`.
public struct DigitalLink: Hashable, Sendable {
    public let gtin: GTIN
    public let consumerProductVariant: String?
    public let lot: String?
    public let serial: String?

    public init(gtin: GTIN, consumerProductVariant: String? = nil, lot: String? = nil, serial: String? = nil) {
        self.gtin = gtin
        self.consumerProductVariant = consumerProductVariant
        self.lot = lot
        self.serial = serial
    }

    /// The canonical path this link is printed with (values percent-encoded where needed).
    public var path: String {
        var path = "/01/\(gtin.digits)"
        if let consumerProductVariant { path += "/22/" + PercentEncoding.encodePathSegment(consumerProductVariant) }
        if let lot { path += "/10/" + PercentEncoding.encodePathSegment(lot) }
        if let serial { path += "/21/" + PercentEncoding.encodePathSegment(serial) }
        return path
    }
}

public enum DigitalLinkError: Error, Equatable, Sendable {
    case notADigitalLink
    case invalidGTIN
    case unknownQualifier(String)
    case qualifierOutOfOrder(String)
    case missingValue(String)
    case invalidPercentEncoding
    case invalidCharacter(ai: String)
    case valueTooLong(ai: String, limit: Int)
}

public enum DigitalLinkParser {
    /// Key qualifiers of AI 01 in the only order GS1 allows them.
    static let qualifierOrder = ["22", "10", "21"]
    static let maximumLength = ["22": 20, "10": 20, "21": 20]

    /// Parses the path of a request (still percent-encoded, without the query).
    /// One trailing slash is tolerated because some scanner apps append it.
    public static func parse(path rawPath: some StringProtocol) throws(DigitalLinkError) -> DigitalLink {
        var path = Substring(rawPath)
        if path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        guard path.hasPrefix("/") else { throw .notADigitalLink }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 2, segments[0] == "01" else { throw .notADigitalLink }
        guard segments.count.isMultiple(of: 2) else { throw .missingValue(String(segments[segments.count - 1])) }
        guard let gtin = GTIN(segments[1]) else { throw .invalidGTIN }

        var values: [String: String] = [:]
        var lastPosition = -1
        var index = 2
        while index < segments.count {
            let ai = String(segments[index])
            guard let position = qualifierOrder.firstIndex(of: ai) else { throw .unknownQualifier(ai) }
            guard position > lastPosition else { throw .qualifierOutOfOrder(ai) }
            lastPosition = position
            let value = try decodeValue(segments[index + 1], ai: ai)
            values[ai] = value
            index += 2
        }
        return DigitalLink(gtin: gtin, consumerProductVariant: values["22"], lot: values["10"], serial: values["21"])
    }

    static func decodeValue(_ segment: Substring, ai: String) throws(DigitalLinkError) -> String {
        guard !segment.isEmpty else { throw .missingValue(ai) }
        guard let bytes = PercentEncoding.decode(segment) else { throw .invalidPercentEncoding }
        guard !bytes.isEmpty else { throw .missingValue(ai) }
        guard bytes.allSatisfy(AI82.contains) else { throw .invalidCharacter(ai: ai) }
        let limit = maximumLength[ai] ?? 20
        guard bytes.count <= limit else { throw .valueTooLong(ai: ai, limit: limit) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
