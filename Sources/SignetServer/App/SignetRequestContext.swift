import Hummingbird
import NIOCore
import SignetCore

/// Request context carrying the socket peer, which the scan needs for GeoIP,
/// and on portal routes the visitor's session if they have one.
public struct SignetRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by `PortalSessionMiddleware` from the session cookie.
    var portalSession: SessionStore.Session?
    /// Set by `APIKeyMiddleware` from the bearer key.
    var apiClient: APIKeyStore.Client?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

extension SocketAddress {
    /// The peer as an `IPAddress`; nil for Unix sockets.
    var signetIPAddress: IPAddress? {
        switch self {
        case .v4(let address):
            withUnsafeBytes(of: address.address.sin_addr) { IPAddress(bytes: Array($0)) }
        case .v6(let address):
            withUnsafeBytes(of: address.address.sin6_addr) { IPAddress(bytes: Array($0)) }
        case .unixDomainSocket:
            nil
        }
    }
}
