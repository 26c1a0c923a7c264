import Foundation
import Logging
import ServiceLifecycle
import SignetCore

/// Sends the alert e-mails the queue holds, in every instance where SMTP is
/// configured: one user's due alerts per message, then the next user.
struct AlertMailDispatcher: Service {
    let queue: AlertMailStore
    let alerts: AlertStore
    let mailer: SMTPClient
    let renderer: PageRenderer
    let publicURL: String
    let logger: Logger
    var idleInterval: Duration = .seconds(5)

    /// A message under way at shutdown is sent and marked sent, not sent again by the next instance.
    func run() async throws {
        await GracefulWork.run(grace: .seconds(20)) {
            while GracefulWork.goesOn {
                if await !sendOne() { await GracefulWork.pause(idleInterval) }
            }
        }
    }

    /// Claims and sends one user's message; false when none was due.
    @discardableResult
    func sendOne() async -> Bool {
        // A claim answered after the limit would hold its rows for the whole lease (120 s) unsent,
        // so the limit only guards against a connection that never answers: half the lease.
        let claim = await awaitAtMost(.seconds(60), otherwise: nil) { () -> AlertMailStore.Claim? in
            do {
                return try await queue.claim()
            } catch {
                logger.warning("could not claim alert e-mails", metadata: ["error": "\(String(reflecting: error))"])
                return nil
            }
        }
        guard let claim else { return false }
        let metadata: Logger.Metadata = ["user": "\(claim.userID)", "alerts": "\(claim.alertIDs.count)"]
        do {
            let found = try await alerts.withIDs(brandID: claim.brandID, claim.alertIDs)
            if !found.isEmpty {
                let message = try AlertMail.message(
                    claim, alerts: found, renderer: renderer, from: mailer.configuration.from, publicURL: publicURL)
                try await mailer.send(message)
            }
            try await queue.markSent(claim)
        } catch {
            logger.warning("could not send alert e-mail; trying again later", metadata: metadata.merging([
                "error": "\(String(reflecting: error))"]) { $1 })
            try? await queue.markFailed(claim)
        }
        return true
    }
}
