import Logging
import PostgresNIO
import ServiceLifecycle

/// Keeps monthly consultation partitions created ahead of time. Idempotent, so
/// every instance may run it; the default partition catches anything missed.
struct PartitionMaintenance: Service {
    static let monthsAhead = 3
    let database: PostgresClient
    let logger: Logger
    let interval: Duration

    func run() async throws {
        // Graceful shutdown does not cancel a sleep by itself.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await awaitAtMost(.seconds(60), otherwise: ()) { await ensurePartitions() }
                try? await Task.sleep(for: interval)
            }
        }
    }

    func ensurePartitions() async {
        do {
            let rows = try await database.query(
                "SELECT signet_ensure_consultation_partitions(\(Self.monthsAhead)::integer)", logger: logger
            ).collect()
            let created = try rows.first?.decode(Int.self) ?? 0
            if created > 0 { logger.info("created consultation partitions", metadata: ["count": "\(created)"]) }
        } catch {
            logger.error("could not create consultation partitions", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
