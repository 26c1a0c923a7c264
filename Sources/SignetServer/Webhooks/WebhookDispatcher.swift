import Foundation
import Logging
import ServiceLifecycle
import SignetCore

/// Delivers the webhook outbox, in every instance: claims due deliveries,
/// signs and sends them a few at a time, records each attempt. Polls once a
/// second when idle; a full round looks again at once.
struct WebhookDispatcher: Service {
    let deliveries: WebhookDeliveryStore
    let alerts: AlertStore
    /// Opens endpoint secrets; nil without SIGNET_SECRET_KEY (no endpoint can exist then).
    let box: SecretBox?
    let policy: OutboundAddressPolicy
    let logger: Logger
    var idleInterval: Duration = .seconds(1)
    /// A round claims no more than it sends at once, so every claimed delivery's
    /// attempt starts at once and ends within `attemptLimit`.
    var batchSize = 16
    var concurrency = 16
    /// How long one attempt may take; an answer that comes later counts as
    /// none, and the delivery is tried again (so a receiver may see it twice).
    var attemptLimit = WebhookSender.defaultAttemptLimit
    /// Tells the brand's owners by e-mail when an endpoint is switched off (with SMTP configured).
    var ownerNotice: OwnerNotice?

    struct OwnerNotice: Sendable {
        let users: UserStore
        let mailer: SMTPClient
        let renderer: PageRenderer
        let publicURL: String
    }

    /// Four times an attempt's limit (60 s by default), so a live dispatcher
    /// keeps its claims while it records them; a dead one's claims return after it.
    var lease: Duration { attemptLimit * 4 }

    /// A round under way at shutdown finishes: its attempts end within
    /// `attemptLimit` and are recorded, so none is sent twice for having been cut off.
    func run() async throws {
        await GracefulWork.run(grace: attemptLimit + .seconds(5)) {
            while GracefulWork.goesOn {
                let claimed = await runRound()
                if claimed < batchSize { await GracefulWork.pause(idleInterval) }
            }
        }
    }

    /// Claims and sends one round of due deliveries; returns how many it claimed.
    @discardableResult
    func runRound() async -> Int {
        // A claim answered after the limit would hold its deliveries for the whole lease unsent, so
        // the limit only guards against a connection that never answers: half the lease, which
        // leaves a slow claim the other half to send before anyone may take it over.
        let claims = await awaitAtMost(min(lease / 2, .seconds(60)), otherwise: [WebhookDeliveryStore.Claim]()) {
            do {
                return try await deliveries.claim(limit: batchSize, lease: lease)
            } catch {
                logger.warning("could not claim webhook deliveries", metadata: ["error": "\(String(reflecting: error))"])
                return []
            }
        }
        guard !claims.isEmpty else { return 0 }
        let sender = WebhookSender(policy: policy, attemptLimit: attemptLimit)
        await withTaskGroup(of: Void.self) { group in
            var waiting = claims[...]
            for _ in 0..<min(concurrency, waiting.count) {
                let claim = waiting.removeFirst()
                group.addTask { await deliver(claim, sender: sender) }
            }
            for await _ in group {
                guard let claim = waiting.popFirst() else { continue }
                group.addTask { await deliver(claim, sender: sender) }
            }
        }
        await sender.shutdown()
        return claims.count
    }

    private func deliver(_ claim: WebhookDeliveryStore.Claim, sender: WebhookSender) async {
        let metadata: Logger.Metadata = ["delivery": "\(claim.id)", "endpoint": "\(claim.endpointID)", "attempt": "\(claim.attempt)"]
        let outcome: WebhookDeliveryStore.Outcome
        var body = claim.body
        do {
            let bytes: [UInt8]
            if let fixed = claim.body { bytes = fixed } else { bytes = try await render(claim) }
            body = bytes
            guard let text = box?.open(claim.sealedSecret), let secret = try? WebhookSecret(parsing: text) else {
                throw DispatchProblem("the endpoint's secret cannot be opened: SIGNET_SECRET_KEY is missing or has changed")
            }
            let timestamp = Int64(Date().timeIntervalSince1970)
            outcome = await sender.send(url: claim.url, headers: [
                (WebhookSignature.idHeader, claim.messageID),
                (WebhookSignature.timestampHeader, String(timestamp)),
                (WebhookSignature.signatureHeader, WebhookSignature.sign(id: claim.messageID, timestamp: timestamp, body: bytes, secret: secret)),
            ], body: bytes)
        } catch {
            outcome = .init(status: nil, error: String(describing: error), latency: .zero, responseHead: nil)
        }
        do {
            if let failures = try await deliveries.record(claim, body: body, outcome: outcome) {
                logger.warning("webhook endpoint disabled after a day of failures", metadata: metadata.merging(["url": "\(claim.url)"]) { $1 })
                await tellOwners(claim, failures: failures)
            } else if !outcome.succeeded {
                logger.info("webhook attempt failed", metadata: metadata.merging([
                    "status": "\(outcome.status.map(String.init) ?? "none")", "error": "\(outcome.error ?? "")"]) { $1 })
            }
        } catch {
            // Unrecorded: the lease runs out and the delivery is sent again (at-least-once).
            logger.warning("could not record a webhook attempt", metadata: metadata.merging(["error": "\(String(reflecting: error))"]) { $1 })
        }
    }

    private func tellOwners(_ claim: WebhookDeliveryStore.Claim, failures: Int) async {
        guard let notice = ownerNotice else { return }
        do {
            for owner in try await notice.users.owners(brandID: claim.brandID) {
                try await notice.mailer.send(WebhookDisabledMail.message(
                    to: owner.email, brandName: claim.brandName, endpointURL: claim.url, endpointID: claim.endpointID, failures: failures,
                    strings: notice.renderer.strings(owner.language ?? .en), from: notice.mailer.configuration.from,
                    publicURL: notice.publicURL))
            }
        } catch {
            // The portal's banner and the audit log still tell them.
            logger.warning("could not e-mail the owners about a switched-off webhook endpoint", metadata: [
                "endpoint": "\(claim.endpointID)", "error": "\(String(reflecting: error))"])
        }
    }

    private func render(_ claim: WebhookDeliveryStore.Claim) async throws -> [UInt8] {
        guard let alertID = claim.alertID,
              let alert = try await alerts.find(brandID: claim.brandID, id: alertID, productIDs: nil)
        else { throw DispatchProblem("the delivery's alert no longer exists") }
        return try WebhookPayload.alertCreated(alert, brand: claim.brandSlug)
    }

    private struct DispatchProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
