import Foundation
import PostgresNIO
import SignetCore

/// The scan statement's text. An NFC tap (`nfc`) adds the tag: its read
/// counter moves forward in the same statement (`tap`), so of two taps with
/// one counter value one is counted and the other is `replayed`; the seal is
/// counted only when the tap is. A QR scan's text has none of it.
enum ScanStatementText {
    /// $19 the tap's counter, $20 the tag's UID, $21 its key version, $22 the tamper loop says opened.
    /// The same visitor opening the same tap again within the session minutes
    /// (a reload, a language switch) is not a copy.
    private static let tap = """
        tap AS (
            UPDATE nfc_tags t
            SET last_counter = greatest(t.last_counter, $19::integer), last_tap_at = now(), last_visitor = $14::bytea,
                taps = t.taps + 1
            WHERE t.seal_id = (SELECT s.id FROM seals s WHERE s.product_id = $1 AND s.serial = $2)
              AND t.uid = $20::bytea AND t.key_version = $21::smallint AND $3::boolean
              AND (t.last_counter < $19::integer
                   OR (t.last_counter = $19::integer AND t.last_visitor = $14::bytea
                       AND t.last_tap_at > now() - make_interval(mins => $16::integer)))
            RETURNING t.seal_id
        ),

        """

    private static let tapFacts = """
        EXISTS (SELECT 1 FROM nfc_tags t WHERE t.seal_id = seal.id AND t.uid = $20::bytea AND t.key_version = $21::smallint)
                       AS tag_matches,
                   EXISTS (SELECT 1 FROM tap) AS tap_fresh, $22::boolean AS tampered
        """

    static func sql(nfc: Bool) -> String {
        """
        WITH \(nfc ? tap : "")bump AS (
            UPDATE seals s
            SET scan_count = s.scan_count + 1,
                first_scanned_at = coalesce(s.first_scanned_at, now()),
                first_country = coalesce(s.first_country, $9),
                first_visitor = coalesce(s.first_visitor, $14::bytea),
                -- A new session unless the same visitor scanned within the session minutes.
                scan_sessions = s.scan_sessions
                    + CASE WHEN s.last_visitor = $14::bytea AND s.last_scanned_at > now() - make_interval(mins => $16::integer)
                           THEN 0 ELSE 1 END,
                last_visitor = $14::bytea,
                countries = CASE WHEN $9 = ANY (s.countries) OR cardinality(s.countries) >= 8 THEN s.countries
                                 ELSE s.countries || $9::text END,
                last_scanned_at = now()
            WHERE s.product_id = $1 AND s.serial = $2 AND $3::boolean AND s.status = 'active'
              AND ($4::bigint IS NULL OR s.lot_id = $4)\(nfc ? "\n              AND s.id IN (SELECT seal_id FROM tap)" : "")
            RETURNING s.id, s.lot_id, s.scan_count, s.first_scanned_at, s.first_country,
                      s.first_visitor = $14::bytea AS first_visitor_again, s.scan_sessions, s.countries, s.trace_state, s.recall_id
        ),
        seal AS (
            SELECT b.id, 'active'::text AS status, b.lot_id, b.scan_count, b.first_scanned_at, b.first_country,
                   b.first_visitor_again, b.scan_sessions, b.countries, b.trace_state, b.recall_id
            FROM bump b
            UNION ALL
            -- Read only when the scan was not counted (LIMIT stops at bump's row).
            (SELECT s.id,
                    -- Active in this statement's snapshot, authentic, yet not counted:
                    -- it stopped being active meanwhile.
                    CASE WHEN s.status = 'active' AND $3::boolean AND ($4::bigint IS NULL OR s.lot_id = $4)\(nfc ? " AND EXISTS (SELECT 1 FROM tap)" : "")
                         THEN 'deactivated' ELSE s.status END,
                    s.lot_id, NULL::integer, NULL::timestamptz, NULL::text, NULL::boolean, NULL::integer, NULL::text[],
                    s.trace_state, s.recall_id
             FROM seals s WHERE s.product_id = $1 AND s.serial = $2)
            LIMIT 1
        ),
        facts AS (
            SELECT seal.id IS NOT NULL AS seal_found,
                   ($4::bigint IS NULL OR coalesce(seal.lot_id = $4, false)) AS lot_matches,
                   coalesce(seal.lot_id = ANY ($5::bigint[]), false) AS lot_recalled,
                   coalesce(seal.lot_id = ANY ($18::bigint[]), false) AS lot_expired,
                   seal.id, seal.status, seal.lot_id, seal.scan_count, seal.first_scanned_at, seal.first_country,
                   coalesce(seal.first_visitor_again, false) AS first_visitor_again, seal.scan_sessions, seal.countries,
                   seal.trace_state, seal.recall_id,
                   \(nfc ? tapFacts : "true AS tag_matches, true AS tap_fresh, false AS tampered")
            FROM (VALUES (1)) AS one (x) LEFT JOIN seal ON true
        ),
        judged AS (
            SELECT f.*, signet_verdict(f.seal_found, $3::boolean AND f.tag_matches, f.lot_matches, f.status, f.lot_recalled,
                                       f.lot_expired, f.scan_count, f.scan_sessions, $15::integer, f.first_visitor_again,
                                       f.tap_fresh, f.tampered, f.trace_state) AS verdict
            FROM facts f
        ),
        logged AS (
            INSERT INTO consultations (brand_id, product_id, seal_id, lot_id, gtin, serial, lot_scanned, country,
                                       served_language, requested_language, verdict, scan_number, visitor, channel\(nfc ? ", tap_counter" : ""))
            SELECT $6::bigint, $1::bigint, j.id, j.lot_id, $7, $2, $8, $9,
                   CASE WHEN j.verdict = 'counterfeit' THEN $11::text ELSE $10::text END,
                   $12, j.verdict, j.scan_count, $14::bytea, $13\(nfc ? ", $19" : "")
            FROM judged j
            -- Past the request's deadline the whole statement stops here, before its commit.
            WHERE signet_in_time($17::timestamptz)
            RETURNING id
        )
        SELECT j.verdict, (SELECT id FROM logged), j.seal_found, j.lot_matches, j.status, j.lot_recalled,
               j.scan_count, j.first_scanned_at, j.first_country, j.first_visitor_again, j.lot_id,
               j.lot_expired, j.scan_sessions, j.countries, j.tag_matches, j.tap_fresh, j.tampered, j.trace_state, j.recall_id
        FROM judged j
        """
    }
}

/// The scan's one round trip: count the scan on the seal row, decide the
/// verdict, log the consultation, and return the facts that change with each
/// scan. Everything else (the token's check, the product, its texts and lots,
/// the language) comes from the server's memory before the statement runs.
///
/// Concurrent scans of one seal serialise on the seal row's UPDATE, so exactly
/// one of them sees `scan_count = 1` and is `genuine_first`.
struct ScanStatement: PostgresPreparedStatement {
    /// postgres-nio's default name is `String(reflecting:)` of the type, built again on every execution.
    static let name = "signet_scan"
    static let sql = ScanStatementText.sql(nfc: false)

    /// Nil when the GTIN is no product's: the scan is then logged as counterfeit.
    var productID: Int64?
    var brandID: Int64?
    var gtin: String
    var serial: String
    /// Checked by the server against the brand's key.
    var tokenValid: Bool
    /// The lot the URL names: nil when it names none, `unknownLot` when the
    /// product has no lot of that code.
    var lotID: Int64?
    var lotScanned: String?
    /// The lots whose seals are `recalled` and `expired` (`CatalogueSnapshot.flaggedLots`).
    var recalledLotIDs: [Int64]
    var expiredLotIDs: [Int64]
    var country: String
    /// The page's language if the seal is the brand's, and if it is not.
    var productLanguage: Language
    var counterfeitLanguage: Language
    var requestedLanguage: String?
    var channel: String
    /// `VisitorFingerprint` of the client.
    var visitor: [UInt8]
    /// The brand's: more sessions than `sessionLimit` make the seal suspicious;
    /// one visitor's scans less than `sessionMinutes` apart are one session.
    var sessionLimit: Int
    var sessionMinutes: Int
    /// When the request stops waiting: a statement still running then writes nothing.
    var deadline: Date

    /// Matches no lot, so a seal scanned with a lot its product never had is not counted.
    static let unknownLot: Int64 = 0

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 18)
        bindings.append(productID)
        bindings.append(serial)
        bindings.append(tokenValid)
        bindings.append(lotID)
        bindings.append(recalledLotIDs)
        bindings.append(brandID)
        bindings.append(gtin)
        bindings.append(lotScanned)
        bindings.append(country)
        bindings.append(productLanguage.rawValue)
        bindings.append(counterfeitLanguage.rawValue)
        bindings.append(requestedLanguage)
        bindings.append(channel)
        bindings.append(ByteBuffer(bytes: visitor))
        // int4, as PostgreSQL infers for $15 and $16.
        bindings.append(Int32(clamping: sessionLimit))
        bindings.append(Int32(clamping: sessionMinutes))
        bindings.append(deadline)
        bindings.append(expiredLotIDs)
        return bindings
    }

    /// What the scan changed and found, as the database saw it.
    struct Row: Sendable {
        var verdict: Verdict
        var consultationID: Int64
        var facts: ScanFacts
        var firstScannedAt: Date?
        var firstCountry: String?
        /// The seal's lot.
        var lotID: Int64?
        /// The countries the seal was verified in, first first (at most eight).
        var countries: [String]
        /// The recall of the seal's container or serial, whose notice the page shows.
        var recallID: Int64?
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let cells = row.makeRandomAccess()
        let verdictName = try cells[0].decode(String.self)
        guard let verdict = Verdict(rawValue: verdictName) else { throw ScanStatementError.unexpectedValue(verdictName) }
        let facts = ScanFacts(
            sealFound: try cells[2].decode(Bool.self),
            // An NFC tap's MAC only counts when the UID is this seal's tag.
            tokenValid: try tokenValid && cells[14].decode(Bool.self),
            lotMatches: try cells[3].decode(Bool.self),
            sealStatus: try cells[4].decode(String?.self).flatMap(SealStatus.init(rawValue:)),
            lotRecalled: try cells[5].decode(Bool.self),
            lotExpired: try cells[11].decode(Bool.self),
            scanCount: try cells[6].decode(Int?.self) ?? 0,
            firstVisitorAgain: try cells[9].decode(Bool.self),
            scanSessions: try cells[12].decode(Int?.self) ?? 0,
            sessionLimit: sessionLimit,
            tapFresh: try cells[15].decode(Bool.self),
            tampered: try cells[16].decode(Bool.self),
            traceState: try cells[17].decode(String?.self).flatMap(TraceState.init(rawValue:)))
        return Row(
            verdict: verdict,
            consultationID: try cells[1].decode(Int64.self),
            facts: facts,
            firstScannedAt: try cells[7].decode(Date?.self),
            firstCountry: try cells[8].decode(String?.self),
            lotID: try cells[10].decode(Int64?.self),
            countries: try cells[13].decode([String]?.self) ?? [],
            recallID: try cells[18].decode(Int64?.self))
    }
}

/// An NFC tap's scan statement: the QR scan's values plus the tap's, which
/// the server read from the verified URL.
struct NFCScanStatement: PostgresPreparedStatement {
    static let name = "signet_scan_nfc"
    static let sql = ScanStatementText.sql(nfc: true)

    var scan: ScanStatement
    var tap: TapVerification.Tap

    func makeBindings() throws -> PostgresBindings {
        var bindings = try scan.makeBindings()
        bindings.append(Int32(tap.counter))
        bindings.append(ByteBuffer(bytes: tap.uid))
        bindings.append(Int16(tap.keyVersion))
        bindings.append(tap.tamper == .opened)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> ScanStatement.Row {
        try scan.decodeRow(row)
    }
}

enum ScanStatementError: Error {
    case unexpectedValue(String)
    case noRow
}

/// The scan statement's text, for `signet bench sql` and the pgbench script.
package var scanStatementSQL: String { ScanStatement.sql }
