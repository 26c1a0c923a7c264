/// The query string of a Digital Link request: the resolver's reserved keys (`linkType`, `context`),
/// GS1 data attributes (`17=290331`), checked like the path, and the rest, which a redirect passes on.
public struct DigitalLinkQuery: Sendable, Equatable {
    /// The query as received, without `?`.
    public var text: String?
    public var linkType: String?
    public var context: String?
    /// Data attributes by AI number, decoded and valid: `["17": "290331"]`.
    public var attributes: [String: String]
    /// Every pair as written, in order (values still percent-encoded).
    var pairs: [Pair]

    struct Pair: Sendable, Equatable {
        var key: String
        var value: String
    }

    /// Checks the query of a request for `/01/...`: a key or key qualifier of AI 01 belongs in the
    /// path (GS1 Digital Link URI syntax), an AI given twice is ambiguous, and a data attribute must
    /// have a value its AI allows (dates real, check digits right).
    public static func parse(_ query: String?) throws(DigitalLinkQueryError) -> DigitalLinkQuery {
        var parsed = DigitalLinkQuery(text: query, linkType: nil, context: nil, attributes: [:], pairs: [])
        for parameter in DigitalLinkCompression.queryParameters(query.map { Substring($0) }) {
            let key = String(parameter.key), encoded = String(parameter.encodedValue)
            parsed.pairs.append(Pair(key: key, value: encoded))
            switch key {
            case "linkType", "linktype":
                parsed.linkType = try decoded(encoded)
                continue
            case "context":
                parsed.context = try decoded(encoded)
                continue
            default:
                break
            }
            // Only numeric keys are AIs: the short names (`lot`, `exp`) of older URIs could collide
            // with a brand's own parameters (an NFC tag's, say).
            guard !key.isEmpty, key.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { continue }
            guard let definition = DigitalLinkCompression.applicationIdentifier(named: key) else {
                throw .unknownApplicationIdentifier(key)
            }
            let code = definition.code
            if code == "01" || ["22", "10", "21", "235"].contains(code) { throw .belongsInPath(code) }
            guard parsed.attributes[code] == nil else { throw .duplicate(code) }
            let value = try decoded(encoded)
            guard (try? DigitalLinkCompression.validated(value, for: definition)) != nil, isPlausibleDate(value, ai: code) else {
                throw .invalidValue(code)
            }
            parsed.attributes[code] = value
        }
        return parsed
    }

    /// The first value of `key`, decoded; nil when absent or badly encoded.
    public func value(of key: String) -> String? {
        guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
        return try? Self.decoded(pair.value)
    }

    /// The query to send on with a redirect: every pair but `linkType` and the `withheld` keys
    /// (credentials such as the seal token, which never leave Signet); nil when nothing is left.
    public func passedOn(withholding withheld: Set<String>) -> String? {
        let kept = pairs.filter { $0.key != "linkType" && $0.key != "linktype" && !withheld.contains($0.key) }
        return kept.isEmpty ? nil : kept.map { $0.value.isEmpty ? $0.key : $0.key + "=" + $0.value }.joined(separator: "&")
    }

    private static func decoded(_ encoded: String) throws(DigitalLinkQueryError) -> String {
        // `+` is a space in form-encoded queries, which is how browsers send a typed `linkType`.
        // (Checked first: Foundation's replacing costs about 1 % of a scan's server time.)
        let spaced = encoded.utf8.contains(UInt8(ascii: "+")) ? encoded.replacingOccurrences(of: "+", with: " ") : encoded
        guard let value = try? DigitalLinkCompression.percentDecoded(spaced) else {
            throw .invalidPercentEncoding
        }
        return value
    }

    /// YYMMDD dates (AIs 11 to 17) with a real month and a day of 01-31, or 00 where GS1 lets it mean
    /// "end of month" (best before, sell by, expiry); 7003 adds hours and minutes.
    private static func isPlausibleDate(_ value: String, ai: String) -> Bool {
        let dateAIs: Set = ["11", "12", "13", "15", "16", "17", "7003", "7006"]
        guard dateAIs.contains(ai) else { return true }
        let digits = Array(value.utf8).map { Int($0) - 0x30 }
        guard digits.count >= 6 else { return false }
        let month = digits[2] * 10 + digits[3], day = digits[4] * 10 + digits[5]
        guard (1...12).contains(month) else { return false }
        let dayAllowsZero: Set = ["15", "16", "17"]
        guard day <= 31, day > 0 || dayAllowsZero.contains(ai) else { return false }
        if ai == "7003", digits.count == 10 {
            let hour = digits[6] * 10 + digits[7], minute = digits[8] * 10 + digits[9]
            return hour < 24 && minute < 60
        }
        return true
    }
}

public enum DigitalLinkQueryError: Error, Equatable, Sendable {
    /// A primary key or key qualifier (`10=`, `21=`) in the query instead of the path.
    case belongsInPath(String)
    case duplicate(String)
    case invalidValue(String)
    case unknownApplicationIdentifier(String)
    case invalidPercentEncoding

    public var message: String {
        switch self {
        case .belongsInPath(let ai): "AI \(ai) identifies the item: it belongs in the path, not the query."
        case .duplicate(let ai): "AI \(ai) is given more than once."
        case .invalidValue(let ai): "The value of AI \(ai) is not valid."
        case .unknownApplicationIdentifier(let ai): "\(ai) is not a GS1 Application Identifier."
        case .invalidPercentEncoding: "The query has invalid percent-encoding."
        }
    }
}
