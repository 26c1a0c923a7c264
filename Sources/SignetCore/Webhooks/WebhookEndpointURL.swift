import Foundation

/// A webhook endpoint's URL as a brand types it, checked before it is stored.
///
/// Only `https` is accepted unless private targets are allowed (development
/// and tests, whose receivers listen on plain HTTP): a delivery carries alert
/// data and its signature, which have no business crossing the internet in
/// clear. The address the host name resolves to is checked again at each
/// delivery, by `OutboundAddressPolicy`.
public struct WebhookEndpointURL: Sendable, Equatable {
    public static let maximumLength = 2000

    public let text: String
    public let scheme: String
    public let host: String

    public enum Problem: Error, Equatable {
        case empty
        case tooLong
        case notAURL
        case schemeNotAllowed
        case credentialsInURL
        case fragment
        case refusedAddress(String)
    }

    public init(_ input: String, allowPrivate: Bool) throws(Problem) {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.utf8.count <= Self.maximumLength else { throw .tooLong }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) else { throw .notAURL }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { throw .notAURL }
        guard scheme == "https" || (scheme == "http" && allowPrivate) else { throw .schemeNotAllowed }
        guard components.user == nil, components.password == nil else { throw .credentialsInURL }
        guard components.fragment == nil else { throw .fragment }
        // An address written in the URL is judged now; a name is judged when it resolves.
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let address = IPAddress(bare), let range = OutboundAddressPolicy(allowPrivate: allowPrivate).refusal(for: address) {
            throw .refusedAddress(range.description)
        }
        text = trimmed
        self.scheme = scheme
        self.host = bare.lowercased()
    }
}
