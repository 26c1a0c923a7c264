import Foundation

/// A link as a brand types it (portal form or API body), checked field by field: a GS1 Web Vocabulary
/// type, an http(s) target, a title, BCP 47 languages as GS1's linkset schema allows them (`fr`,
/// `fr-CA`), an IANA-shaped media type, a context value, and the level it is for.
public struct ResolverLinkInput: Sendable {
    public var type: String
    public var href: String
    public var title: String
    /// Comma- or space-separated tags.
    public var languages: String
    public var mediaType: String
    public var context: String
    public var lot: String
    public var serial: String
    public var isDefault: Bool

    public init(
        type: String, href: String, title: String, languages: String = "", mediaType: String = "", context: String = "",
        lot: String = "", serial: String = "", isDefault: Bool = false
    ) {
        self.type = type
        self.href = href
        self.title = title
        self.languages = languages
        self.mediaType = mediaType
        self.context = context
        self.lot = lot
        self.serial = serial
        self.isDefault = isDefault
    }

    /// A field that is wrong, and which rule it breaks (a key of the portal's messages).
    public struct Problem: Equatable, Sendable {
        public var field: String
        public var rule: Rule

        public enum Rule: String, Sendable {
            case unknownType = "link_error_type"
            case badTarget = "link_error_href"
            case badTitle = "link_error_title"
            case badLanguage = "link_error_languages"
            case badMediaType = "link_error_media_type"
            case badContext = "link_error_context"
            case badLot = "link_error_lot"
            case badSerial = "link_error_serial"
            case lotAndSerial = "link_error_level"
            case serialDefault = "link_error_default"

            /// What an API client reads.
            public var message: String {
                switch self {
                case .unknownType: "a link type of the GS1 Web Vocabulary, such as gs1:pip or gs1:safetyInfo"
                case .badTarget: "an http:// or https:// URL of at most 2,000 characters, without spaces"
                case .badTitle: "1 to 200 characters"
                case .badLanguage: "language tags such as en or fr-CA"
                case .badMediaType: "an IANA media type such as text/html or application/pdf"
                case .badContext: "1 to 60 letters, digits, '.', '_', ':' or '-'"
                case .badLot: "1 to 20 characters of GS1 character set 82"
                case .badSerial: "1 to 20 characters of GS1 character set 82"
                case .lotAndSerial: "a link is for a lot or for a serial, not both"
                case .serialDefault: "a serial's default is always Signet's verification page"
                }
            }
        }
    }

    /// Every problem found, not only the first.
    public struct Invalid: Error, Sendable {
        public var problems: [Problem]
    }

    public func validated() throws(Invalid) -> ResolverLink {
        var problems: [Problem] = []
        let type = GS1LinkType(type.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEditable ? $0 : nil }
        if type == nil { problems.append(Problem(field: "type", rule: .unknownType)) }
        let href = href.trimmingCharacters(in: .whitespaces)
        if !Self.isTarget(href) { problems.append(Problem(field: "href", rule: .badTarget)) }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > 200 { problems.append(Problem(field: "title", rule: .badTitle)) }
        let tags = languages.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        let languages = tags.compactMap(Self.languageTag)
        if languages.count != tags.count { problems.append(Problem(field: "languages", rule: .badLanguage)) }
        let mediaType = mediaType.trimmingCharacters(in: .whitespaces).lowercased()
        if !mediaType.isEmpty, !Self.isMediaType(mediaType) { problems.append(Problem(field: "media_type", rule: .badMediaType)) }
        let context = context.trimmingCharacters(in: .whitespaces)
        if !context.isEmpty, !Self.isContext(context) { problems.append(Problem(field: "context", rule: .badContext)) }
        let lot = lot.trimmingCharacters(in: .whitespaces), serial = serial.trimmingCharacters(in: .whitespaces)
        if !lot.isEmpty, !AI82.isValid(lot) { problems.append(Problem(field: "lot", rule: .badLot)) }
        if !serial.isEmpty, !AI82.isValid(serial) { problems.append(Problem(field: "serial", rule: .badSerial)) }
        if !lot.isEmpty, !serial.isEmpty { problems.append(Problem(field: "serial", rule: .lotAndSerial)) }
        if !serial.isEmpty, isDefault { problems.append(Problem(field: "default", rule: .serialDefault)) }
        guard let type, problems.isEmpty else { throw Invalid(problems: problems) }
        let level: ResolverLink.Level = !lot.isEmpty ? .lot(lot) : !serial.isEmpty ? .serial(serial) : .product
        return ResolverLink(
            level: level, type: type, href: href, title: title, languages: Array(Set(languages)).sorted(),
            mediaType: mediaType.isEmpty ? nil : mediaType, context: context.isEmpty ? nil : context, isDefault: isDefault)
    }

    static func isTarget(_ href: String) -> Bool {
        guard href.utf8.count <= 2000, href.hasPrefix("https://") || href.hasPrefix("http://"),
              !href.contains(where: { $0.isWhitespace || $0.isNewline }),
              let url = URL(string: href), let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    /// `fr`, `FR-ca` → `fr-CA`: the two forms GS1's linkset schema accepts.
    static func languageTag(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        func letters(_ part: Substring) -> Bool { part.count == 2 && part.allSatisfy { $0.isASCII && $0.isLetter } }
        guard (1...2).contains(parts.count), parts.allSatisfy(letters) else { return nil }
        return parts.count == 1 ? parts[0].lowercased() : parts[0].lowercased() + "-" + parts[1].uppercased()
    }

    static let mediaTypeRoots: Set = ["application", "audio", "font", "image", "message", "model", "multipart", "text", "video"]

    static func isMediaType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-")
        guard parts.count == 2, mediaTypeRoots.contains(String(parts[0])), (1...127).contains(parts[1].count),
              parts[1].allSatisfy(allowed.contains), parts[1].first?.isLetter == true || parts[1].first?.isNumber == true
        else { return false }
        return true
    }

    static func isContext(_ text: String) -> Bool {
        (1...60).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._:-".contains($0)) }
    }
}
