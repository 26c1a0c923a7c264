import Hummingbird
import SignetCore
import NIOCore

/// The context of every portal route behind sign-in: it cannot exist without
/// a live session, so a handler never checks for one.
struct PortalContext: ChildRequestContext {
    typealias ParentContext = SignetRequestContext
    var coreContext: CoreRequestContextStorage
    let session: SessionStore.Session
    let remoteAddress: SocketAddress?

    init(context: SignetRequestContext) throws {
        guard let session = context.portalSession else { throw Redirect.toSignIn }
        guard !session.awaitingSecondFactor else { throw Redirect(location: "/portal/sign-in/two-factor") }
        // The parent's storage, not a new one: it holds the route's matched parameters.
        self.coreContext = context.coreContext
        self.session = session
        self.remoteAddress = context.remoteAddress
    }

    var manager: BrandManager { session.manager }

    /// Refuses (403) what the signed-in user's role does not allow.
    func require(_ action: BrandAction) throws {
        guard manager.role.allows(action) else { throw PublicError.forbidden }
    }
}
