import HummingbirdBcrypt
import NIOPosix
import SignetCore

/// bcrypt on NIO's blocking thread pool: one hash costs tens of milliseconds
/// of CPU and must never run on an event loop.
public struct PasswordHasher: Sendable {
    /// bcrypt's cost (log2 of rounds). 12 in production; tests lower it.
    public let cost: UInt8
    /// A hash of a random string at the same cost, so that a sign-in with an
    /// unknown e-mail spends as long in bcrypt as one with a wrong password.
    private let decoy: String

    public static func make(cost: UInt8 = 12) async throws -> PasswordHasher {
        let decoy = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(SecretToken.generate(), cost: cost) }
        return PasswordHasher(cost: cost, decoy: decoy)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends the time of a real check and always fails.
    public func verifyAgainstDecoy(_ password: String) async throws -> Bool {
        _ = try await verify(password, hash: decoy)
        return false
    }
}
