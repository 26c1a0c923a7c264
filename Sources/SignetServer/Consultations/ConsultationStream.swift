import Foundation
import Logging
import PostgresNIO

/// Hands every committed consultation exactly once to each named consumer
/// (alerts, statistics, webhooks…), in the order of the transactions that
/// wrote them, after the scan has answered: the scan statement never grows
/// for them.
///
/// A consumer's position lives in `consultation_stream_positions` and moves
/// in the same transaction as the consumer's own writes, so a crash between
/// the two loses or repeats nothing. Several instances may run the same
/// consumer: the position row is taken with `FOR UPDATE SKIP LOCKED`, so one
/// instance handles a batch while the others find nothing to do. Each
/// consumer reads on a connection of its own (`ConsultationStreamConsumer`),
/// outside the pool scans use.
///
/// Rows are read only below the oldest transaction still running
/// (`pg_snapshot_xmin`): ids do not commit in id order, but no transaction
/// older than that horizon can still add a row (see migration 0011).
struct ConsultationStream: Sendable {
    let logger: Logger

    /// Handles the consumer's next batch (at most `limit` rows) inside one
    /// transaction on `connection`: `handle` gets the connection for its own
    /// writes, then the position moves past the batch and everything commits.
    /// A throw from `handle` rolls back its writes and leaves the position.
    /// - Returns: how many consultations were handled; 0 when there were none
    ///   or another instance holds this consumer right now.
    @discardableResult
    func handleNextBatch(
        on connection: PostgresConnection, consumer: String, limit: Int = 500,
        _ handle: (PostgresConnection, [StreamedConsultation]) async throws -> Void
    ) async throws -> Int {
        try await startIfNew(consumer: consumer, on: connection)
        try await connection.queryWhileOpen("BEGIN", logger: logger)
        do {
            let handled = try await handleInTransaction(on: connection, consumer: consumer, limit: limit, handle)
            try await connection.queryWhileOpen("COMMIT", logger: logger)
            return handled
        } catch {
            _ = try? await connection.queryWhileOpen("ROLLBACK", logger: logger)
            throw error
        }
    }

    private func handleInTransaction(
        on connection: PostgresConnection, consumer: String, limit: Int,
        _ handle: (PostgresConnection, [StreamedConsultation]) async throws -> Void
    ) async throws -> Int {
        let positions = try await connection.queryWhileOpen("""
            SELECT xact::text, id FROM consultation_stream_positions WHERE consumer = \(consumer)
            FOR UPDATE SKIP LOCKED
            """, logger: logger).collect()
        guard let position = positions.first else { return 0 }
        let (xact, id) = try position.decode((String, Int64).self)
        var batch: [StreamedConsultation] = []
        let rows = try await connection.queryWhileOpen("""
            SELECT c.xact::text, c.id, c.scanned_at, c.brand_id, c.product_id, c.seal_id, c.lot_id, c.gtin, c.serial,
                   c.lot_scanned, c.country, c.served_language::text, c.requested_language, c.verdict, c.scan_number,
                   c.visitor, c.channel, hashint8extended(c.seal_id, 0)
            FROM consultations c
            WHERE (c.xact, c.id) > (\(xact)::xid8, \(id))
              AND c.xact < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY c.xact, c.id
            LIMIT \(limit)
            """, logger: logger)
        for try await row in rows {
            batch.append(try StreamedConsultation(row: row))
        }
        guard let last = batch.last else { return 0 }
        try await handle(connection, batch)
        try await connection.queryWhileOpen("""
            UPDATE consultation_stream_positions SET xact = \(last.xact)::xid8, id = \(last.id), updated_at = now()
            WHERE consumer = \(consumer)
            """, logger: logger)
        return batch.count
    }

    /// A consumer's first read starts at the horizon: consultations written
    /// before it existed are history (statistics rebuild those from the table).
    private func startIfNew(consumer: String, on connection: PostgresConnection) async throws {
        try await connection.queryWhileOpen("""
            INSERT INTO consultation_stream_positions (consumer, xact, id)
            VALUES (\(consumer), pg_snapshot_xmin(pg_current_snapshot()), 0)
            ON CONFLICT (consumer) DO NOTHING
            """, logger: logger)
    }
}

/// One consultation as consumers of the stream receive it.
struct StreamedConsultation: Sendable, Equatable {
    /// The writing transaction (`xid8` as text): with `id`, the stream's order.
    var xact: String
    var id: Int64
    var scannedAt: Date
    var brandID: Int64?
    var productID: Int64?
    var sealID: Int64?
    var lotID: Int64?
    var gtin: String
    var serial: String?
    var lotScanned: String?
    var country: String
    var servedLanguage: String
    var requestedLanguage: String?
    var verdict: String
    var scanNumber: Int?
    var visitor: [UInt8]?
    var channel: String
    /// PostgreSQL's `hashint8extended(seal_id, 0)`, the seal's hash in the
    /// statistics' sketches (as `stats_source` computes it for rebuilds).
    var sealHash: Int64?

    init(row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        xact = try cells[0].decode(String.self)
        id = try cells[1].decode(Int64.self)
        scannedAt = try cells[2].decode(Date.self)
        brandID = try cells[3].decode(Int64?.self)
        productID = try cells[4].decode(Int64?.self)
        sealID = try cells[5].decode(Int64?.self)
        lotID = try cells[6].decode(Int64?.self)
        gtin = try cells[7].decode(String.self)
        serial = try cells[8].decode(String?.self)
        lotScanned = try cells[9].decode(String?.self)
        country = try cells[10].decode(String.self)
        servedLanguage = try cells[11].decode(String.self)
        requestedLanguage = try cells[12].decode(String?.self)
        verdict = try cells[13].decode(String.self)
        scanNumber = try cells[14].decode(Int?.self)
        visitor = try cells[15].decode(ByteBuffer?.self).map { Array($0.readableBytesView) }
        channel = try cells[16].decode(String.self)
        sealHash = try cells[17].decode(Int64?.self)
    }
}
