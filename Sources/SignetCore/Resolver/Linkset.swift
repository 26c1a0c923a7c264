import Foundation

/// An RFC 9264 linkset in the shape GS1's linkset schema asks of a conformant resolver: one entry per
/// level of the request URI, each with its `anchor` (the uncompressed URI of that level), an
/// `itemDescription`, and its links keyed by the link type's full URI, the default under `defaultLink`.
public struct Linkset: Sendable {
    public struct Entry: Sendable {
        public var anchor: String
        public var itemDescription: String
        public var links: [ResolverLink]

        public init(anchor: String, itemDescription: String, links: [ResolverLink]) {
            self.anchor = anchor
            self.itemDescription = itemDescription
            self.links = links
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public static let mediaType = "application/linkset+json"
    /// GS1's JSON-LD context for linksets, announced in a `Link` header.
    public static let jsonLDContext = "https://ref.gs1.org/standards/resolver/linkset-context"

    public func json() -> [UInt8] {
        let body: [String: Any] = ["linkset": entries.map(Self.object)]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data)
    }

    private static func object(_ entry: Entry) -> [String: Any] {
        var object: [String: Any] = ["anchor": entry.anchor, "itemDescription": entry.itemDescription]
        for link in entry.links {
            object[link.type.uri, default: [[String: Any]]()] = (object[link.type.uri] as? [[String: Any]] ?? []) + [target(link)]
        }
        // The default is described without the optional attributes, as the standard says.
        if let fallback = entry.links.first(where: \.isDefault) {
            object[GS1LinkType.defaultLink.uri] = [["href": fallback.href, "title": fallback.title]]
        }
        return object
    }

    private static func target(_ link: ResolverLink) -> [String: Any] {
        var target: [String: Any] = ["href": link.href, "title": link.title]
        if !link.languages.isEmpty { target["hreflang"] = link.languages }
        if let mediaType = link.mediaType { target["type"] = mediaType }
        if let context = link.context { target["context"] = [context] }
        return target
    }
}
