import Crypto
import Foundation
import Logging
import PostgresNIO
import SignetCore

/// Stores a document's EPCIS events for one brand and applies what they mean:
/// packing and unpacking, which seals each event concerns (through the
/// containers they were in at the event's time), each seal's disposition and
/// holder, activation on commissioning and lot recalls. One transaction; set
/// statements for the whole document except packing, which goes event by
/// event in event-time order.
struct TraceCaptureStore: Sendable {
    let database: PostgresClient
    let logger: Logger

    enum ErrorBehaviour: String, Sendable, Codable {
        /// Any bad event and nothing is stored (the standard's default).
        case rollback
        /// The good events are stored, the bad ones reported.
        case proceed
    }

    /// Nesting deeper than this is not followed (and a cycle cannot loop).
    static let maximumDepth = 16

    func capture(brandID: Int64, _ events: [Result<EPCISEvent, EPCISEventErrors>],
                 behaviour: ErrorBehaviour) async throws -> TraceCaptureOutcome {
        try await database.transaction(logger: logger) { connection in
            // Ten thousand events may take longer than the serving pool's statement limit.
            try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
            return try await capture(brandID: brandID, events, behaviour: behaviour, on: connection)
        }
    }

    /// The capture inside the caller's transaction. An all-or-nothing capture
    /// that meets an error returns before its first write.
    /// - Parameter recallID: the recall (with its notice) the events belong to, for recalls made in the portal.
    func capture(brandID: Int64, _ events: [Result<EPCISEvent, EPCISEventErrors>], behaviour: ErrorBehaviour,
                 recallID: Int64? = nil, on connection: PostgresConnection) async throws -> TraceCaptureOutcome {
        var errors: [EPCISEventErrors] = []
        var parsed: [(index: Int, event: EPCISEvent)] = []
        for (index, reading) in events.enumerated() {
            switch reading {
            case .success(let event): parsed.append((index, event))
            case .failure(let problem): errors.append(problem)
            }
        }
        let identifiers = try await TraceIdentifiers.resolve(
            brandID: brandID, parsed.flatMap { NamedIdentifier.all(in: $0.event).map(\.identifier) }, on: connection, logger: logger)
        var accepted: [Accepted] = []
        var seen = Set<EventKey>()
        var duplicates: [String] = []
        for (index, event) in parsed {
            let named = NamedIdentifier.all(in: event)
            var problems = named.compactMap { item in
                identifiers.problem(with: item.identifier).map {
                    EPCISFieldError(field: "epcisBody.eventList[\(index)].\(item.field)", message: $0)
                }
            }
            if let parent = event.parentID, event.childEPCs.contains(parent) {
                problems.append(EPCISFieldError(field: "epcisBody.eventList[\(index)].childEPCs",
                                                message: "A container cannot be packed into itself."))
            }
            guard problems.isEmpty else {
                errors.append(EPCISEventErrors(index: index, errors: problems))
                continue
            }
            let key = EventKey(eventID: event.eventID ?? Self.hashID(of: event), declaresError: event.errorDeclaration != nil)
            if !seen.insert(key).inserted {
                duplicates.append(key.eventID)
                continue
            }
            accepted.append(Accepted(index: index, event: event, key: key, named: named))
        }
        if behaviour == .rollback, !errors.isEmpty { return .failed(errors) }

        let containers = try await containerIDs(
            brandID: brandID, Set(accepted.flatMap { $0.named.compactMap(\.identifier.sscc) }), on: connection)
        let stored = try await insertEvents(brandID: brandID, accepted, recallID: recallID, on: connection)
        let fresh = accepted.filter { stored[$0.key] != nil }
        duplicates += accepted.filter { stored[$0.key] == nil }.map(\.key.eventID)
        if !fresh.isEmpty {
            try await insertIdentifiers(brandID: brandID, fresh, ids: stored, on: connection)
            var repacked = Set<Int64>()
            // Packing changes what later events reach, so it goes first, in event-time order.
            for entry in fresh.sorted(by: { ($0.event.eventTime, $0.index) < ($1.event.eventTime, $1.index) })
            where entry.event.type == .aggregation && entry.key.declaresError == false {
                guard let id = stored[entry.key], case .container(let parent)? = entry.event.parentID,
                      let parentID = containers[parent.digits]
                else { continue }
                let children = Children(entry.named.filter { $0.role == .epc }.map(\.identifier), identifiers: identifiers,
                                        containers: containers)
                switch entry.event.action {
                case .add?:
                    try await pack(brandID: brandID, event: id, at: entry.event.eventTime, into: parentID, children, on: connection)
                case .delete?:
                    try await unpack(brandID: brandID, event: id, at: entry.event.eventTime, from: parentID, children, on: connection)
                default:
                    continue
                }
                repacked.insert(parentID)
                repacked.formUnion(children.containers)
            }
            let direct = fresh.flatMap { entry -> [(event: Int64, seal: Int64)] in
                guard let id = stored[entry.key] else { return [] }
                return entry.named.filter { $0.role != .class && $0.role != .inputClass && $0.role != .outputClass }
                    .compactMap { item in identifiers.seals[item.identifier].map { (id, $0) } }
            }
            try await insertDirectLinks(brandID: brandID, direct, on: connection)
            let relinked = try await relinkThroughContainers(
                brandID: brandID, events: Array(stored.values), repacked: Array(repacked), on: connection)
            try await recomputeSealState(brandID: brandID, events: relinked.events, seals: relinked.unlinkedSeals, on: connection)
            try await applyCommissioning(brandID: brandID, fresh, ids: stored, on: connection)
            try await applyLotRecalls(brandID: brandID, fresh, identifiers: identifiers, on: connection)
        }
        return TraceCaptureOutcome(captured: fresh.count, duplicates: duplicates, errors: TraceCaptureOutcome.flatten(errors),
                                   rolledBack: false)
    }

    // MARK: Events

    private struct EventKey: Hashable, Sendable {
        var eventID: String
        var declaresError: Bool
    }

    private struct Accepted: Sendable {
        var index: Int
        var event: EPCISEvent
        var key: EventKey
        var named: [NamedIdentifier]
    }

    /// An event sent without an eventID is known by a hash of its content, so
    /// sending it again is still recognised. (Not the CBV 2.0 event hash
    /// algorithm, which canonicalises further; Signet's own, documented.)
    static func hashID(of event: EPCISEvent) -> String {
        let digest = SHA256.hash(data: Array(event.json.serialized().utf8))
        return "ni:///sha-256;\(Hex.encode(Array(digest)))?ver=CBV2.0"
    }

    /// Stored events by key; an event already there (a re-sent one) gets no row and no id.
    private func insertEvents(brandID: Int64, _ accepted: [Accepted], recallID: Int64?,
                              on connection: PostgresConnection) async throws -> [EventKey: Int64] {
        guard !accepted.isEmpty else { return [:] }
        var documents: [String] = []
        documents.reserveCapacity(accepted.count)
        for entry in accepted {
            var json = entry.event.json
            // The stored event always carries the id it is known by.
            if entry.event.eventID == nil, case .object(var fields) = json {
                fields["eventID"] = .string(entry.key.eventID)
                json = .object(fields)
            }
            documents.append(json.serialized())
        }
        let rows = try await connection.query("""
            INSERT INTO trace_events (brand_id, event_id, declares_error, event_type, action, event_time, event_time_zone_offset,
                                      biz_step, disposition, read_point, biz_location, parent_id, holder_gln, document, recall_id)
            SELECT \(brandID), e.event_id, e.declares_error, e.event_type, nullif(e.action, ''), e.event_time, e.time_zone_offset,
                   nullif(e.biz_step, ''), nullif(e.disposition, ''), nullif(e.read_point, ''), nullif(e.biz_location, ''),
                   nullif(e.parent_id, ''), nullif(e.holder_gln, ''), e.document::jsonb, \(recallID)::bigint
            FROM unnest(\(accepted.map(\.key.eventID))::text[], \(accepted.map(\.key.declaresError))::boolean[],
                        \(accepted.map(\.event.type.rawValue))::text[], \(accepted.map { $0.event.action?.rawValue ?? "" })::text[],
                        \(accepted.map(\.event.eventTime))::timestamptz[], \(accepted.map(\.event.eventTimeZoneOffset))::text[],
                        \(accepted.map { $0.event.bizStep ?? "" })::text[], \(accepted.map { $0.event.disposition ?? "" })::text[],
                        \(accepted.map { $0.event.readPoint?.digitalLinkURI ?? "" })::text[],
                        \(accepted.map { $0.event.bizLocation?.digitalLinkURI ?? "" })::text[],
                        \(accepted.map { $0.event.parentID?.digitalLinkURI ?? "" })::text[],
                        \(accepted.map { Self.holderGLN(after: $0.event)?.digits ?? "" })::text[],
                        \(documents)::text[])
                 WITH ORDINALITY AS e (event_id, declares_error, event_type, action, event_time, time_zone_offset, biz_step,
                                       disposition, read_point, biz_location, parent_id, holder_gln, document, position)
            ORDER BY e.position
            ON CONFLICT (brand_id, event_id, declares_error) DO NOTHING
            RETURNING id, event_id, declares_error
            """, logger: logger)
        var stored: [EventKey: Int64] = [:]
        for try await (id, eventID, declaresError) in rows.decode((Int64, String, Bool).self) {
            stored[EventKey(eventID: eventID, declaresError: declaresError)] = id
        }
        return stored
    }

    /// Who holds the goods after `event`: the destination party (possessing
    /// before owning) or location, else the place goods were received at.
    static func holderGLN(after event: EPCISEvent) -> GLN? {
        for type in ["possessing_party", "owning_party", "location"] {
            if let destination = event.destinationList.first(where: { $0.type == type }), let gln = destination.id.gln { return gln }
        }
        let arriving: Set<String> = ["receiving", "arriving", "accepting", "stocking", "storing", "retail_selling"]
        if let step = event.bizStep, arriving.contains(step), let gln = event.bizLocation?.gln { return gln }
        return nil
    }

    private func insertIdentifiers(brandID: Int64, _ fresh: [Accepted], ids: [EventKey: Int64],
                                   on connection: PostgresConnection) async throws {
        var events: [Int64] = []
        var roles: [String] = []
        var uris: [String] = []
        for entry in fresh {
            guard let id = ids[entry.key] else { continue }
            for item in entry.named {
                events.append(id)
                roles.append(item.role.rawValue)
                uris.append(item.identifier.digitalLinkURI)
            }
        }
        guard !events.isEmpty else { return }
        try await connection.query("""
            INSERT INTO trace_event_identifiers (event_id, brand_id, role, uri)
            SELECT e, \(brandID), r, u FROM unnest(\(events)::bigint[], \(roles)::text[], \(uris)::text[]) AS n (e, r, u)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    // MARK: Containers

    /// The brand's containers by SSCC, created on first mention.
    private func containerIDs(brandID: Int64, _ ssccs: Set<String>, on connection: PostgresConnection) async throws -> [String: Int64] {
        guard !ssccs.isEmpty else { return [:] }
        let list = Array(ssccs).sorted()
        try await connection.query("""
            INSERT INTO containers (brand_id, sscc) SELECT \(brandID), unnest(\(list)::text[])
            ON CONFLICT (brand_id, sscc) DO NOTHING
            """, logger: logger)
        var ids: [String: Int64] = [:]
        for try await (id, sscc) in try await connection.query(
            "SELECT id, sscc FROM containers WHERE brand_id = \(brandID) AND sscc = ANY(\(list)::text[])", logger: logger
        ).decode((Int64, String).self) {
            ids[sscc] = id
        }
        return ids
    }

    /// What an AggregationEvent packs or unpacks, as row ids.
    private struct Children: Sendable {
        var seals: [Int64] = []
        var containers: [Int64] = []

        init(_ list: [EPCIdentifier], identifiers: TraceIdentifiers, containers ids: [String: Int64]) {
            for identifier in list {
                if let seal = identifiers.seals[identifier] { seals.append(seal) }
                if let sscc = identifier.sscc, let container = ids[sscc] { containers.append(container) }
            }
        }

        var isEmpty: Bool { seals.isEmpty && containers.isEmpty }
    }

    /// Packs `children` into `container` at `time`: each leaves the container
    /// it was in. A child already packed somewhere later than `time` (events
    /// arriving out of order) stays in this container only until then.
    private func pack(brandID: Int64, event: Int64, at time: Date, into container: Int64, _ children: Children,
                      on connection: PostgresConnection) async throws {
        guard !children.isEmpty else { return }
        try await connection.query("""
            UPDATE container_contents SET unpacked_at = \(time), unpacked_by = \(event)
            WHERE brand_id = \(brandID) AND unpacked_at IS NULL AND packed_at <= \(time)
              AND (seal_id = ANY(\(children.seals)::bigint[]) OR child_container_id = ANY(\(children.containers)::bigint[]))
            """, logger: logger)
        try await connection.query("""
            INSERT INTO container_contents (brand_id, container_id, seal_id, child_container_id, packed_at, unpacked_at,
                                            packed_by, unpacked_by)
            SELECT \(brandID), \(container), child.seal_id, child.container_id, \(time), later.packed_at, \(event), later.packed_by
            FROM (SELECT unnest(\(children.seals)::bigint[]) AS seal_id, NULL::bigint AS container_id
                  UNION ALL
                  SELECT NULL, unnest(\(children.containers)::bigint[])) AS child
            LEFT JOIN LATERAL (
                SELECT c.packed_at, c.packed_by FROM container_contents c
                WHERE c.unpacked_at IS NULL AND (c.seal_id = child.seal_id OR c.child_container_id = child.container_id)
            ) AS later ON true
            """, logger: logger)
    }

    /// Unpacks `children` (everything, when none are named) from `container` at `time`.
    /// What came out keeps the event in its `unpacked_by`, which is how the event reaches it.
    private func unpack(brandID: Int64, event: Int64, at time: Date, from container: Int64, _ children: Children,
                        on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE container_contents SET unpacked_at = \(time), unpacked_by = \(event)
            WHERE brand_id = \(brandID) AND container_id = \(container) AND unpacked_at IS NULL AND packed_at <= \(time)
              AND (\(children.isEmpty) OR seal_id = ANY(\(children.seals)::bigint[])
                   OR child_container_id = ANY(\(children.containers)::bigint[]))
            """, logger: logger)
    }

    // MARK: Seals

    /// Records the seals each new event names.
    private func insertDirectLinks(brandID: Int64, _ direct: [(event: Int64, seal: Int64)], on connection: PostgresConnection) async throws {
        guard !direct.isEmpty else { return }
        try await connection.query("""
            INSERT INTO trace_event_seals (seal_id, event_id, brand_id)
            SELECT d.seal_id, d.event_id, \(brandID)
            FROM unnest(\(direct.map(\.event))::bigint[], \(direct.map(\.seal))::bigint[]) AS d (event_id, seal_id)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Links each event to the seals inside the containers it names at its
    /// time, at any depth: the new events, and every stored event naming a
    /// container whose contents this capture changed (or one holding it), so
    /// packing that arrives after the events about its container still reaches
    /// them. An AggregationEvent or AssociationEvent is about its children,
    /// not its parent's other contents; what an unpacking took out is reached
    /// through the rows it closed.
    /// - Returns: the events relinked, and the seals they no longer reach.
    private func relinkThroughContainers(
        brandID: Int64, events fresh: [Int64], repacked: [Int64], on connection: PostgresConnection
    ) async throws -> (events: [Int64], unlinkedSeals: [Int64]) {
        var events = fresh
        if !repacked.isEmpty {
            let earlier = try await connection.query("""
                WITH RECURSIVE up (id, depth) AS (
                    SELECT unnest(\(repacked)::bigint[]), 0
                    UNION
                    SELECT c.container_id, up.depth + 1 FROM up JOIN container_contents c ON c.child_container_id = up.id
                    WHERE up.depth < \(Self.maximumDepth))
                SELECT DISTINCT i.event_id
                FROM up JOIN containers c ON c.id = up.id
                JOIN trace_event_identifiers i ON i.brand_id = \(brandID) AND i.uri = \(Self.containerURIPrefix) || c.sscc
                WHERE NOT i.event_id = ANY(\(fresh)::bigint[])
                """, logger: logger)
            for try await id in earlier.decode(Int64.self) { events.append(id) }
        }
        var unlinked: [Int64] = []
        if events.count > fresh.count {
            let removed = try await connection.query("""
                DELETE FROM trace_event_seals WHERE event_id = ANY(\(Array(events.dropFirst(fresh.count)))::bigint[])
                                                AND via_container_id IS NOT NULL
                RETURNING seal_id
                """, logger: logger)
            for try await seal in removed.decode(Int64.self) { unlinked.append(seal) }
        }
        try await connection.query("""
            WITH RECURSIVE relinked AS (
                SELECT unnest(\(events)::bigint[]) AS event_id
            ), roots (event_id, at, container_id) AS (
                SELECT e.id, e.event_time, c.id
                FROM relinked r
                JOIN trace_events e ON e.id = r.event_id
                JOIN trace_event_identifiers i ON i.event_id = e.id AND i.role IN ('epc', 'parent', 'input', 'output')
                                              AND i.uri LIKE \(Self.containerURIPrefix + "%")
                JOIN containers c ON c.brand_id = e.brand_id AND c.sscc = right(i.uri, 18)
                WHERE NOT (i.role = 'parent' AND e.event_type IN ('AggregationEvent', 'AssociationEvent'))
                UNION
                SELECT c.unpacked_by, c.unpacked_at, c.child_container_id
                FROM container_contents c JOIN relinked r ON c.unpacked_by = r.event_id
                WHERE c.child_container_id IS NOT NULL
            ), inside (event_id, at, root, container_id, seal_id, depth) AS (
                SELECT r.event_id, r.at, r.container_id, c.child_container_id, c.seal_id, 1
                FROM roots r
                JOIN container_contents c ON c.container_id = r.container_id AND c.packed_at <= r.at
                                         AND (c.unpacked_at IS NULL OR c.unpacked_at > r.at)
                UNION ALL
                SELECT i.event_id, i.at, i.root, c.child_container_id, c.seal_id, i.depth + 1
                FROM inside i
                JOIN container_contents c ON c.container_id = i.container_id AND c.packed_at <= i.at
                                         AND (c.unpacked_at IS NULL OR c.unpacked_at > i.at)
                WHERE i.depth < \(Self.maximumDepth)
            )
            INSERT INTO trace_event_seals (seal_id, event_id, brand_id, via_container_id)
            SELECT DISTINCT ON (seal_id, event_id) seal_id, event_id, \(brandID), via
            FROM (SELECT seal_id, event_id, root AS via FROM inside WHERE seal_id IS NOT NULL
                  UNION ALL
                  SELECT c.seal_id, c.unpacked_by, c.container_id
                  FROM container_contents c JOIN relinked r ON c.unpacked_by = r.event_id
                  WHERE c.seal_id IS NOT NULL) AS linked
            ORDER BY seal_id, event_id
            ON CONFLICT DO NOTHING
            """, logger: logger)
        return (events, unlinked)
    }

    /// Containers' identifiers as stored: their GS1 Digital Link form.
    private static let containerURIPrefix = "https://id.gs1.org/00/"

    /// Recomputes the disposition and holder of every seal the new events
    /// concern from its whole history, by event time, so an event arriving
    /// late or an error declaration gives the same state as if sent in order.
    /// Events declared erroneous (and the declarations) do not count.
    private func recomputeSealState(brandID: Int64, events: [Int64], seals extra: [Int64],
                                    on connection: PostgresConnection) async throws {
        try await connection.query("""
            WITH touched AS (
                SELECT seal_id FROM trace_event_seals WHERE event_id = ANY(\(events)::bigint[])
                UNION
                SELECT unnest(\(extra)::bigint[])
            ), history AS (
                SELECT t.seal_id, e.id, e.event_time, e.disposition, e.holder_gln, e.recall_id
                FROM touched t
                JOIN trace_event_seals s ON s.seal_id = t.seal_id
                JOIN trace_events e ON e.id = s.event_id
                WHERE NOT e.declares_error
                  AND NOT EXISTS (SELECT 1 FROM trace_events d
                                  WHERE d.brand_id = e.brand_id AND d.event_id = e.event_id AND d.declares_error)
            ), latest AS (
                SELECT seal_id, max(event_time) AS at FROM history GROUP BY seal_id
            ), disposition AS (
                SELECT DISTINCT ON (seal_id) seal_id, disposition, event_time, recall_id FROM history
                WHERE disposition IS NOT NULL ORDER BY seal_id, event_time DESC, id DESC
            ), holder AS (
                -- A return ends the partner's custody.
                SELECT DISTINCT ON (seal_id) seal_id, holder_gln, event_time FROM history
                WHERE holder_gln IS NOT NULL OR disposition = 'returned' ORDER BY seal_id, event_time DESC, id DESC
            )
            INSERT INTO seal_trace (seal_id, brand_id, disposition, disposition_at, recall_id, holder_gln, held_since, last_event_at)
            SELECT t.seal_id, \(brandID), d.disposition, d.event_time, d.recall_id, h.holder_gln, h.event_time, l.at
            FROM touched t
            LEFT JOIN latest l USING (seal_id)
            LEFT JOIN disposition d USING (seal_id)
            LEFT JOIN holder h USING (seal_id)
            ON CONFLICT (seal_id) DO UPDATE SET
                disposition = excluded.disposition, disposition_at = excluded.disposition_at, recall_id = excluded.recall_id,
                holder_gln = excluded.holder_gln, held_since = excluded.held_since, last_event_at = excluded.last_event_at
            """, logger: logger)
        // What the scan shows comes from the seal row it already reads.
        try await connection.query("""
            UPDATE seals s SET trace_state = x.state, recall_id = x.recall_id
            FROM (SELECT t.seal_id,
                         CASE WHEN t.disposition IN ('recalled', 'stolen', 'destroyed', 'expired') THEN t.disposition END AS state,
                         CASE WHEN t.disposition = 'recalled' THEN t.recall_id END AS recall_id
                  FROM seal_trace t
                  WHERE t.seal_id IN (SELECT seal_id FROM trace_event_seals WHERE event_id = ANY(\(events)::bigint[])
                                      UNION SELECT unnest(\(extra)::bigint[]))) AS x
            WHERE s.id = x.seal_id AND (s.trace_state, s.recall_id) IS DISTINCT FROM (x.state, x.recall_id)
            """, logger: logger)
    }

    /// A commissioning event activates the pending seals it concerns, for
    /// brands that print seals pending and activate them on commissioning.
    private func applyCommissioning(brandID: Int64, _ fresh: [Accepted], ids: [EventKey: Int64],
                                    on connection: PostgresConnection) async throws {
        let commissioning = fresh.filter {
            $0.event.bizStep == "commissioning" && $0.event.action == .add && !$0.key.declaresError
        }.compactMap { ids[$0.key] }
        guard !commissioning.isEmpty else { return }
        try await connection.query("""
            UPDATE seals s SET status = 'active', activated_at = e.event_time
            FROM trace_event_seals t
            JOIN trace_events e ON e.id = t.event_id
            JOIN brands b ON b.id = e.brand_id
            WHERE t.event_id = ANY(\(commissioning)::bigint[]) AND s.id = t.seal_id AND s.status = 'pending'
              AND b.id = \(brandID) AND b.activate_on_commissioning
            """, logger: logger)
    }

    /// An event giving a lot the `recalled` disposition recalls the lot: its
    /// seals scan as recalled, with the notice the brand wrote for the lot.
    private func applyLotRecalls(brandID: Int64, _ fresh: [Accepted], identifiers: TraceIdentifiers,
                                 on connection: PostgresConnection) async throws {
        var lots: [Int64] = []
        var times: [Date] = []
        for entry in fresh where entry.event.disposition == "recalled" && !entry.key.declaresError {
            for item in entry.named {
                if let lot = identifiers.lots[item.identifier] { lots.append(lot); times.append(entry.event.eventTime) }
            }
        }
        guard !lots.isEmpty else { return }
        try await connection.query("""
            UPDATE lots l SET status = 'recalled', recalled_at = r.at
            FROM (SELECT lot_id, min(at) AS at FROM unnest(\(lots)::bigint[], \(times)::timestamptz[]) AS u (lot_id, at)
                  GROUP BY lot_id) AS r
            WHERE l.id = r.lot_id AND l.brand_id = \(brandID) AND l.status <> 'recalled'
            """, logger: logger)
    }
}
