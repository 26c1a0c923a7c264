import Logging
import PostgresNIO
import SignetCore

/// The NFC tags on a brand's seals: registered from a packaging line's file,
/// shown on the seal's page.
struct NFCTagStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    struct Tag: Sendable {
        var uid: [UInt8]
        var keyVersion: Int
        /// Nil until the first accepted tap.
        var lastCounter: Int?
        var lastTapAt: String?
        var registeredAt: String
        /// Taps whose counter it accepted since it was registered, the tapper's
        /// own reloads included (a copy is not one).
        var taps: Int
    }

    /// Rows of the file that cannot be registered; nothing was stored.
    struct Rejected: Error {
        var problems: [SerialImportFile.Problem]
    }

    /// Registers the file's tags on the batch's seals, all or nothing, with
    /// the brand's current key version; returns how many rows changed. A seal
    /// registered again with the same UID keeps its counter; with another UID
    /// (a replaced tag) its counter starts again.
    func register(brandID: Int64, batchID: Int64, file: NFCTagFile, keyVersion: UInt8, actor: AuditActor) async throws -> Int {
        let serials = file.tags.map(\.serial)
        let uids = file.tags.map { Hex.encode($0.uid) }
        let lines = file.tags.map { Int64($0.line) }
        return try await database.transaction(logger: logger) { connection in
            var problems: [SerialImportFile.Problem] = []
            let unknown = try await connection.query("""
                SELECT r.line, r.serial FROM unnest(\(serials)::text[], \(lines)::bigint[]) AS r (serial, line)
                WHERE NOT EXISTS (SELECT 1 FROM seals s WHERE s.batch_id = \(batchID) AND s.brand_id = \(brandID) AND s.serial = r.serial)
                ORDER BY r.line LIMIT 100
                """, logger: logger).collect()
            for row in unknown {
                let (line, serial) = try row.decode((Int64, String).self)
                problems.append(.init(line: Int(line), reason: "portal_nfc_unknown_serial", serial: serial))
            }
            let taken = try await connection.query("""
                SELECT r.line, r.uid FROM unnest(\(uids)::text[], \(serials)::text[], \(lines)::bigint[]) AS r (uid, serial, line)
                JOIN nfc_tags t ON t.uid = decode(r.uid, 'hex') JOIN seals s ON s.id = t.seal_id
                WHERE NOT (s.batch_id = \(batchID) AND s.serial = r.serial)
                ORDER BY r.line LIMIT 100
                """, logger: logger).collect()
            for row in taken {
                let (line, uid) = try row.decode((Int64, String).self)
                problems.append(.init(line: Int(line), reason: "portal_nfc_uid_taken", serial: uid.uppercased()))
            }
            guard problems.isEmpty else { throw Rejected(problems: problems.sorted { $0.line < $1.line }) }
            let changed = try await connection.query("""
                INSERT INTO nfc_tags (seal_id, brand_id, uid, key_version)
                SELECT s.id, s.brand_id, decode(r.uid, 'hex'), \(Int16(keyVersion))
                FROM unnest(\(serials)::text[], \(uids)::text[]) AS r (serial, uid)
                JOIN seals s ON s.batch_id = \(batchID) AND s.brand_id = \(brandID) AND s.serial = r.serial
                ON CONFLICT (seal_id) DO UPDATE
                    SET uid = EXCLUDED.uid, key_version = EXCLUDED.key_version, last_counter = -1, last_tap_at = NULL,
                        last_visitor = NULL, taps = 0,
                        registered_at = now()
                    WHERE nfc_tags.uid <> EXCLUDED.uid
                RETURNING seal_id
                """, logger: logger).collect().count
            try await AuditLog.record(
                "seal_batch.register_nfc", subject: "seal_batch:\(batchID)",
                details: ["rows": String(file.tags.count), "changed": String(changed), "key_version": String(keyVersion)],
                brandID: brandID, actor: actor, on: connection, logger: logger)
            return changed
        }
    }

    /// How many of the batch's seals carry a tag.
    func count(brandID: Int64, batchID: Int64) async throws -> Int {
        let rows = try await database.query("""
            SELECT count(*)::bigint FROM nfc_tags t JOIN seals s ON s.id = t.seal_id
            WHERE s.batch_id = \(batchID) AND t.brand_id = \(brandID)
            """, logger: logger).collect()
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    /// The seal's tag, if it carries one.
    func tag(brandID: Int64, sealID: Int64) async throws -> Tag? {
        let rows = try await database.query("""
            SELECT uid, key_version, last_counter, to_char(last_tap_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
                   to_char(registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), taps
            FROM nfc_tags WHERE seal_id = \(sealID) AND brand_id = \(brandID)
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (uid, version, counter, tap, registered, taps) = try row.decode((ByteBuffer, Int16, Int32, String?, String, Int32).self)
        return Tag(uid: Array(uid.readableBytesView), keyVersion: Int(version), lastCounter: counter < 0 ? nil : Int(counter),
                   lastTapAt: tap, registeredAt: registered, taps: Int(taps))
    }
}
