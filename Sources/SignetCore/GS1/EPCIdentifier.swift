/// What an EPCIS event names: one unit (SGTIN), every unit of a product (a
/// GTIN class), one lot (LGTIN), a carton or pallet (SSCC), a place (SGLN) or
/// a party, such as the owner a shipment goes to (PGLN).
/// Read from EPC URNs (GS1 EPC Tag Data Standard) or from GS1 Digital Link
/// URIs; the two spellings of one thing are equal values.
public enum EPCIdentifier: Hashable, Sendable {
    case item(GTIN, serial: String)
    case product(GTIN)
    case lot(GTIN, lot: String)
    case container(SSCC)
    case location(GLN, extension: String?)
    case party(GLN)

    /// Nil when `uri` is neither a well-formed EPC URN of these kinds nor a
    /// Digital Link URI (absolute, or a path) of one of them.
    public init?(_ uri: some StringProtocol) {
        let text = String(uri)
        if text.hasPrefix("urn:epc:") {
            guard let parsed = Self.urn(text) else { return nil }
            self = parsed
        } else {
            guard let parsed = Self.digitalLink(text) else { return nil }
            self = parsed
        }
    }

    /// The Digital Link form on GS1's resolver, how Signet stores and answers identifiers.
    public var digitalLinkURI: String {
        let base = "https://id.gs1.org"
        switch self {
        case .item(let gtin, let serial): return "\(base)/01/\(gtin.digits)/21/\(PercentEncoding.encodePathSegment(serial))"
        case .product(let gtin): return "\(base)/01/\(gtin.digits)"
        case .lot(let gtin, let lot): return "\(base)/01/\(gtin.digits)/10/\(PercentEncoding.encodePathSegment(lot))"
        case .container(let sscc): return "\(base)/00/\(sscc.digits)"
        case .location(let gln, let ext):
            return "\(base)/414/\(gln.digits)" + (ext.map { "/254/\(PercentEncoding.encodePathSegment($0))" } ?? "")
        case .party(let gln): return "\(base)/417/\(gln.digits)"
        }
    }

    // MARK: EPC URNs

    private static func urn(_ text: String) -> EPCIdentifier? {
        let kinds: [(prefix: String, parts: Int)] = [
            ("urn:epc:id:sgtin:", 3), ("urn:epc:idpat:sgtin:", 3), ("urn:epc:class:lgtin:", 3), ("urn:epc:id:sscc:", 2),
            ("urn:epc:id:sgln:", 3), ("urn:epc:id:pgln:", 2),
        ]
        guard let kind = kinds.first(where: { text.hasPrefix($0.prefix) }) else { return nil }
        let parts = text.dropFirst(kind.prefix.count).split(separator: ".", maxSplits: kind.parts - 1, omittingEmptySubsequences: false)
        // A GLN's location or party reference is empty when the company prefix has all 12 digits.
        let referenceMayBeEmpty = kind.prefix == "urn:epc:id:sgln:" || kind.prefix == "urn:epc:id:pgln:"
        guard parts.count == kind.parts, isDigits(parts[0]), (6...12).contains(parts[0].count),
              isDigits(parts[1]) || (parts[1].isEmpty && referenceMayBeEmpty)
        else { return nil }
        let companyPrefix = String(parts[0])
        let reference = String(parts[1])
        switch kind.prefix {
        case "urn:epc:id:sscc:":
            // The extension digit leads, then the company prefix and the rest of the serial reference.
            guard companyPrefix.count + reference.count == 17, let first = reference.first else { return nil }
            return SSCC(GS1CheckDigit.completing(String(first) + companyPrefix + reference.dropFirst())).map(EPCIdentifier.container)
        case "urn:epc:id:sgln:":
            guard companyPrefix.count + reference.count == 12,
                  let gln = GLN(GS1CheckDigit.completing(companyPrefix + reference)),
                  let ext = tagDataValue(parts[2])
            else { return nil }
            return .location(gln, extension: ext == "0" ? nil : ext)
        case "urn:epc:id:pgln:":
            guard companyPrefix.count + reference.count == 12 else { return nil }
            return GLN(GS1CheckDigit.completing(companyPrefix + reference)).map(EPCIdentifier.party)
        default:
            // The indicator digit leads, then the company prefix and the rest of the item reference.
            guard companyPrefix.count + reference.count == 13, let indicator = reference.first,
                  let gtin = GTIN(GS1CheckDigit.completing(String(indicator) + companyPrefix + reference.dropFirst()))
            else { return nil }
            if kind.prefix == "urn:epc:idpat:sgtin:" { return parts[2] == "*" ? .product(gtin) : nil }
            guard let value = tagDataValue(parts[2]) else { return nil }
            return kind.prefix == "urn:epc:id:sgtin:" ? .item(gtin, serial: value) : .lot(gtin, lot: value)
        }
    }

    /// A serial, lot or extension as the Tag Data Standard writes it in a URN:
    /// GS1 character set 82, with `"`, `%`, `&`, `/`, `<`, `>` and `?` escaped.
    private static func tagDataValue(_ text: Substring) -> String? {
        guard let bytes = PercentEncoding.decode(text), AI82.isValid(String(decoding: bytes, as: UTF8.self)) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    // MARK: Digital Link URIs

    private static func digitalLink(_ text: String) -> EPCIdentifier? {
        var path = Substring(text)
        for scheme in ["https://", "http://"] where path.hasPrefix(scheme) {
            path = path.dropFirst(scheme.count)
            guard let slash = path.firstIndex(of: "/") else { return nil }
            path = path[slash...]
        }
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        guard path.hasPrefix("/") else { return nil }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        switch segments.first {
        case "00":
            guard segments.count == 2, let sscc = SSCC(segments[1]) else { return nil }
            return .container(sscc)
        case "414":
            guard segments.count == 2 || (segments.count == 4 && segments[2] == "254"), let gln = GLN(segments[1]) else { return nil }
            guard segments.count == 4 else { return .location(gln, extension: nil) }
            guard let bytes = PercentEncoding.decode(segments[3]), AI82.isValid(String(decoding: bytes, as: UTF8.self)) else {
                return nil
            }
            // Extension 0 is "none", as in the URN.
            let ext = String(decoding: bytes, as: UTF8.self)
            return .location(gln, extension: ext == "0" ? nil : ext)
        case "417":
            guard segments.count == 2, let gln = GLN(segments[1]) else { return nil }
            return .party(gln)
        case "01":
            guard let link = try? DigitalLinkParser.parse(path: path) else { return nil }
            if let serial = link.serial { return .item(link.gtin, serial: serial) }
            if let lot = link.lot { return .lot(link.gtin, lot: lot) }
            return .product(link.gtin)
        default:
            return nil
        }
    }
}
