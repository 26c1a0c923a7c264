import Foundation
import Logging
import PostgresNIO
import SignetCore

/// The `alerts` consumer of the consultation stream: for each batch it reads
/// the brands' rules and the history the rules need (a few queries per
/// batch, never per consultation: the seals' batch markets come with their
/// recent scans), lets `AlertEvaluator` decide, and records
/// the alerts in the batch's transaction.
struct AlertRecorder: Sendable {
    static let consumer = "alerts"
    /// Past counted scans of a seal considered for sessions and geo jumps.
    static let historyDays = 30
    static let historyScans = 500

    let logger: Logger

    func record(_ batch: [StreamedConsultation], on connection: PostgresConnection) async throws {
        let branded = batch.filter { $0.brandID != nil }
        guard let earliest = branded.map(\.scannedAt).min() else { return }
        let rules = try await loadRules(brandIDs: Array(Set(branded.compactMap(\.brandID))), connection: connection)
        let watched = branded.filter { rules[$0.brandID!] != nil }
        guard !watched.isEmpty else { return }
        // Partition pruning: nothing below the earliest scan of the batch (or its history window) is read.
        let since = earliest.addingTimeInterval(-1)

        let kinds = Set(rules.values.flatMap { $0.map(\.rule.kind) })
        // Product types and lot expiry only matter to some rules; most batches skip the query.
        let needsFacts = kinds.contains(.expiredScanned) || rules.values.contains { $0.contains { $0.rule.scope.productTypeIDs != nil } }
        let facts = needsFacts ? try await loadFacts(ids: watched.map(\.id), since: since, connection: connection) : [:]
        var seals: [Int64: SealFacts] = [:]
        let needsScans = !kinds.isDisjoint(with: [.scanSessionsExceeded, .geoJump])
        if needsScans || kinds.contains(.offMarket) {
            let sealIDs = Set(watched.filter { $0.verdict != Verdict.counterfeit.rawValue }.compactMap(\.sealID))
            seals = try await loadSeals(sealIDs: Array(sealIDs), withScans: needsScans, since: earliest, connection: connection)
        }
        var probing: [Int64: Int] = [:]
        if kinds.contains(.counterfeit) {
            let counterfeits = watched.filter { $0.verdict == Verdict.counterfeit.rawValue && $0.visitor != nil }.map(\.id)
            if !counterfeits.isEmpty { probing = try await loadProbing(ids: counterfeits, since: since, connection: connection) }
        }

        var ids: [Int64] = [], ruleIDs: [Int64] = [], types: [String] = [], details: [String] = [], informational: [Bool] = []
        var sealsToDeactivate: [Int64] = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for consultation in watched {
            guard let verdict = Verdict(rawValue: consultation.verdict), let brandRules = rules[consultation.brandID!] else { continue }
            let fact = facts[consultation.id]
            let seal = consultation.sealID.flatMap { seals[$0] }
            let scan = ScanForAlerts(
                verdict: verdict, country: consultation.country, visitor: consultation.visitor,
                scannedAt: consultation.scannedAt.timeIntervalSince1970, productTypeID: fact?.productTypeID,
                productID: consultation.productID, lotID: consultation.lotID, lotExpired: fact?.lotExpired ?? false,
                intendedMarkets: seal?.intendedMarkets ?? [])
            let earlier = (seal?.scans ?? [])
                .filter { ($0.scannedAt, $0.id) < (consultation.scannedAt, consultation.id) }
                .map { PastScan(scannedAt: $0.scannedAt.timeIntervalSince1970, country: $0.country, visitor: $0.visitor) }
            let context = AlertHistory(sealScans: earlier, visitorCounterfeitsLastHour: probing[consultation.id] ?? 0)
            for loaded in brandRules {
                for alert in AlertEvaluator.evaluate(scan, history: context, rules: [loaded.rule]) {
                    if alert.type == .scanSessionsExceeded, loaded.deactivatesSeal, let seal = consultation.sealID {
                        sealsToDeactivate.append(seal)
                    }
                    ids.append(consultation.id)
                    ruleIDs.append(loaded.id)
                    types.append(alert.type.rawValue)
                    details.append(String(decoding: try encoder.encode(alert.detail), as: UTF8.self))
                    informational.append(alert.type == .everyScan && !loaded.everyScanInInbox)
                }
            }
        }
        guard !ids.isEmpty else { return }
        if !sealsToDeactivate.isEmpty {
            // The seal's next scan is `inactive`: a copied code stops verifying.
            try await connection.queryWhileOpen("""
                UPDATE seals SET status = 'deactivated' WHERE id = ANY (\(sealsToDeactivate)) AND status = 'active'
                """, logger: logger)
        }
        try await connection.queryWhileOpen("""
            INSERT INTO alerts (brand_id, rule_id, type, consultation_id, scanned_at, product_id, seal_id, lot_id,
                                gtin, serial, lot, country, language, verdict, detail, informational)
            SELECT c.brand_id, d.rule_id, d.type, c.id, c.scanned_at, c.product_id, c.seal_id, c.lot_id,
                   c.gtin, c.serial, coalesce(l.code, c.lot_scanned), c.country, c.served_language, c.verdict, d.detail::jsonb,
                   d.informational
            FROM unnest(\(ids)::bigint[], \(ruleIDs)::bigint[], \(types)::text[], \(details)::text[], \(informational)::boolean[])
                 WITH ORDINALITY AS d (consultation_id, rule_id, type, detail, informational, n)
            JOIN consultations c ON c.id = d.consultation_id AND c.scanned_at >= \(since)
            LEFT JOIN lots l ON l.id = c.lot_id
            ORDER BY d.n
            ON CONFLICT (consultation_id, type) DO NOTHING
            """, logger: logger)
    }

    /// Enabled rules by brand, with their ids.
    private func loadRules(brandIDs: [Int64], connection: PostgresConnection) async throws -> [Int64: [LoadedRule]] {
        var rules: [Int64: [LoadedRule]] = [:]
        let rows = try await connection.queryWhileOpen("""
            SELECT r.id, r.brand_id, r.kind, r.product_type_ids, r.product_ids, r.lot_ids, r.settings::text,
                   b.session_limit, b.session_minutes
            FROM alert_rules r JOIN brands b ON b.id = r.brand_id
            WHERE r.enabled AND r.brand_id = ANY (\(brandIDs))
            ORDER BY r.id
            """, logger: logger)
        for try await (id, brand, kind, types, products, lots, settings, sessionLimit, sessionMinutes)
            in rows.decode((Int64, Int64, String, [Int64]?, [Int64]?, [Int64]?, String, Int, Int).self)
        {
            guard let kind = AlertRule.Kind(rawValue: kind) else { continue }
            let scope = AlertScope(productTypeIDs: types.map(Set.init), productIDs: products.map(Set.init), lotIDs: lots.map(Set.init))
            let decoded = AlertRuleSettings.decode(settings)
            let rule = decoded.rule(kind: kind, scope: scope, sessionLimit: sessionLimit, sessionMinutes: sessionMinutes)
            rules[brand, default: []].append(LoadedRule(
                id: id, rule: rule, deactivatesSeal: decoded.deactivateSeal ?? false, everyScanInInbox: decoded.inbox ?? false))
        }
        return rules
    }

    private struct LoadedRule {
        var id: Int64
        var rule: AlertRule
        var deactivatesSeal: Bool
        /// `every_scan` alerts of this rule ask for attention; otherwise they are informational.
        var everyScanInInbox: Bool
    }

    private struct Facts {
        var productTypeID: Int64?
        var lotExpired: Bool
    }

    /// Each consultation's product type and whether its lot had expired on the (UTC) day of the scan.
    private func loadFacts(ids: [Int64], since: Date, connection: PostgresConnection) async throws -> [Int64: Facts] {
        var facts: [Int64: Facts] = [:]
        let rows = try await connection.queryWhileOpen("""
            SELECT c.id, p.product_type_id, coalesce(l.expires_on < (c.scanned_at AT TIME ZONE 'UTC')::date, false)
            FROM consultations c
            LEFT JOIN products p ON p.id = c.product_id
            LEFT JOIN lots l ON l.id = c.lot_id
            WHERE c.id = ANY (\(ids)) AND c.scanned_at >= \(since)
            """, logger: logger)
        for try await (id, type, expired) in rows.decode((Int64, Int64?, Bool).self) {
            facts[id] = Facts(productTypeID: type, lotExpired: expired)
        }
        return facts
    }

    private struct PastScanRow {
        var id: Int64
        var scannedAt: Date
        var country: String
        var visitor: [UInt8]?
    }

    /// What the rules need to know of a seal: its intended markets (those of the
    /// partner it was last shipped to, when that partner names any, else its
    /// batch's) and its latest counted scans.
    private struct SealFacts {
        var intendedMarkets: Set<String> = []
        var scans: [PastScanRow] = []
    }

    /// The seals' batch markets and, with `withScans`, their latest counted
    /// scans (the batch's own included; callers keep the earlier ones), in one
    /// query for the whole batch.
    private func loadSeals(
        sealIDs: [Int64], withScans: Bool, since: Date, connection: PostgresConnection
    ) async throws -> [Int64: SealFacts] {
        guard !sealIDs.isEmpty else { return [:] }
        var seals: [Int64: SealFacts] = [:]
        let from = since.addingTimeInterval(-Double(Self.historyDays) * 86_400)
        let rows = try await connection.queryWhileOpen("""
            WITH recent AS (
                SELECT seal_id, id, scanned_at, country, visitor FROM (
                    SELECT seal_id, id, scanned_at, country, visitor,
                           row_number() OVER (PARTITION BY seal_id ORDER BY scanned_at DESC, id DESC) AS n
                    FROM consultations
                    WHERE \(withScans) AND seal_id = ANY (\(sealIDs)) AND scan_number IS NOT NULL AND scanned_at >= \(from)
                ) ranked
                WHERE n <= \(Self.historyScans + 100))
            SELECT s.id, coalesce(nullif(p.countries, '{}'), b.intended_markets, '{}'), r.id, r.scanned_at, r.country, r.visitor
            FROM seals s
            LEFT JOIN seal_batches b ON b.id = s.batch_id
            LEFT JOIN seal_trace t ON t.seal_id = s.id
            LEFT JOIN partners p ON p.brand_id = t.brand_id AND p.gln = t.holder_gln
            LEFT JOIN recent r ON r.seal_id = s.id
            WHERE s.id = ANY (\(sealIDs))
            """, logger: logger)
        for try await (seal, markets, id, at, country, visitor)
            in rows.decode((Int64, [String], Int64?, Date?, String?, ByteBuffer?).self)
        {
            seals[seal, default: SealFacts(intendedMarkets: Set(markets))].intendedMarkets = Set(markets)
            if let id, let at, let country {
                seals[seal]!.scans.append(PastScanRow(
                    id: id, scannedAt: at, country: country, visitor: visitor.map { Array($0.readableBytesView) }))
            }
        }
        return seals
    }

    /// For each counterfeit consultation, the brand's counterfeit scans from the
    /// same visitor in the hour up to and including it.
    private func loadProbing(ids: [Int64], since: Date, connection: PostgresConnection) async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        let rows = try await connection.queryWhileOpen("""
            SELECT c.id, (SELECT count(*) FROM consultations p
                          WHERE p.brand_id = c.brand_id AND p.visitor = c.visitor AND p.verdict = 'counterfeit'
                            AND p.scanned_at > c.scanned_at - interval '1 hour'
                            AND (p.scanned_at, p.id) <= (c.scanned_at, c.id))
            FROM consultations c
            WHERE c.id = ANY (\(ids)) AND c.scanned_at >= \(since)
            """, logger: logger)
        for try await (id, count) in rows.decode((Int64, Int).self) { counts[id] = count }
        return counts
    }
}
