import PostgresNIO
import SignetCore

/// The whole scan in one round trip: find the seal, check its token, count the
/// scan, decide the verdict, choose the language, log the consultation and
/// return what the page shows.
///
/// Concurrent scans of one seal serialise on the seal row's UPDATE, so exactly
/// one of them sees `scan_count = 1` and is `genuine_first`.
struct ScanStatement: PostgresPreparedStatement {
    static let sql = """
        WITH product AS (
            SELECT p.id, p.brand_id, p.default_language::text AS default_language, p.image_url,
                   ARRAY(SELECT t.language::text FROM product_translations t WHERE t.product_id = p.id) AS languages
            FROM products p
            WHERE p.gtin = $1
        ),
        seal AS (
            SELECT s.id, s.status, s.lot_id
            FROM seals s JOIN product p ON s.product_id = p.id
            WHERE s.serial = $2
        ),
        facts AS (
            SELECT
                seal.id IS NOT NULL AS seal_found,
                -- Digests are compared, not tokens, so comparison timing reveals nothing about the
                -- expected token. Unknown serials of a known GTIN pay for the same HMAC as real
                -- ones, so timing does not reveal which serials exist.
                public.digest(signet_seal_token(coalesce(b.seal_key, '\\x00'::bytea), $1, $2), 'sha256')
                    = public.digest($3::text, 'sha256') AS token_valid,
                ($4::text IS NULL OR coalesce($4::text = lot.code, false)) AS lot_matches,
                seal.status AS seal_status,
                coalesce(lot.status = 'recalled', false) AS lot_recalled,
                seal.id AS seal_id,
                lot.id AS lot_id
            FROM (VALUES (1)) AS one (x)
            LEFT JOIN product ON true
            LEFT JOIN brands b ON b.id = product.brand_id
            LEFT JOIN seal ON true
            LEFT JOIN lots lot ON lot.id = seal.lot_id
        ),
        bump AS (
            UPDATE seals s
            SET scan_count = s.scan_count + 1,
                first_scanned_at = coalesce(s.first_scanned_at, now()),
                first_country = coalesce(s.first_country, $7),
                first_visitor = coalesce(s.first_visitor, $9::bytea),
                last_scanned_at = now()
            FROM facts f
            WHERE s.id = f.seal_id AND f.token_valid AND f.lot_matches AND s.status = 'active'
            RETURNING s.scan_count, s.first_scanned_at, s.first_country, s.first_visitor = $9 AS first_visitor_again
        ),
        counted AS (
            SELECT f.seal_found, f.token_valid, f.lot_matches, f.lot_recalled, f.seal_id, f.lot_id,
                   bump.scan_count, bump.first_scanned_at, bump.first_country, bump.first_visitor_again,
                   -- An authentic scan of an active seal that was not counted means the seal
                   -- stopped being active after this statement's snapshot was taken.
                   CASE WHEN bump.scan_count IS NULL AND f.seal_status = 'active' AND f.token_valid AND f.lot_matches
                        THEN 'deactivated' ELSE f.seal_status END AS seal_status
            FROM facts f LEFT JOIN bump ON true
        ),
        outcome AS (
            SELECT c.*, signet_verdict(c.seal_found, c.token_valid, c.lot_matches, c.seal_status,
                                       c.lot_recalled, c.scan_count, c.first_visitor_again) AS verdict
            FROM counted c
        ),
        chosen AS (
            SELECT o.*,
                   CASE WHEN o.verdict = 'counterfeit'
                        THEN signet_choose_language($5::text[], ARRAY['en', 'fr', 'de', 'es'], NULL)
                        ELSE signet_choose_language($5::text[], p.languages, p.default_language)
                   END AS language
            FROM outcome o LEFT JOIN product p ON true
        ),
        logged AS (
            INSERT INTO consultations (brand_id, product_id, seal_id, lot_id, gtin, serial, lot_scanned, country,
                                       served_language, requested_language, verdict, scan_number, visitor, channel)
            SELECT p.brand_id, p.id, c.seal_id, c.lot_id, $1, $2, $4, $7, c.language, $6, c.verdict, c.scan_count, $9, $8
            FROM chosen c LEFT JOIN product p ON true
            RETURNING id
        )
        SELECT c.verdict, c.language, (SELECT id FROM logged),
               c.seal_found, c.token_valid, c.lot_matches, c.seal_status, c.lot_recalled, c.scan_count,
               to_char(c.first_scanned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), c.first_country,
               b.name,
               -- Even a counterfeit of a known product may be reported to its brand.
               (SELECT rb.support_email FROM product rp JOIN brands rb ON rb.id = rp.brand_id),
               p.image_url, p.languages,
               coalesce(tr.name, td.name),
               coalesce(nullif(tr.description, ''), td.description),
               coalesce(nullif(tr.origin, ''), td.origin),
               coalesce(nullif(tr.composition, ''), td.composition),
               coalesce(nullif(tr.warnings, ''), td.warnings),
               l.code, to_char(l.produced_on, 'YYYY-MM-DD'), to_char(l.expires_on, 'YYYY-MM-DD'),
               coalesce(l.recall_notice ->> c.language, l.recall_notice ->> p.default_language, l.recall_notice ->> 'en'),
               coalesce(c.first_visitor_again, false),
               coalesce(nullif(tr.hazards, ''), td.hazards),
               coalesce(nullif(tr.allergens, ''), td.allergens),
               coalesce(nullif(tr.instructions, ''), td.instructions),
               (CASE WHEN jsonb_array_length(tr.characteristics) > 0 THEN tr.characteristics ELSE td.characteristics END)::text
        FROM chosen c
        LEFT JOIN product p ON c.verdict <> 'counterfeit'
        LEFT JOIN brands b ON b.id = p.brand_id
        LEFT JOIN product_translations tr ON tr.product_id = p.id AND tr.language = c.language
        LEFT JOIN product_translations td ON td.product_id = p.id AND td.language = p.default_language
        LEFT JOIN lots l ON l.id = c.lot_id AND p.id IS NOT NULL
        """

    var gtin: String
    var serial: String
    var token: String
    var lot: String?
    var preferences: [String]
    var requestedLanguage: String?
    var country: String
    var channel: String
    /// `VisitorFingerprint` of the client.
    var visitor: [UInt8]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 9)
        bindings.append(gtin)
        bindings.append(serial)
        bindings.append(token)
        bindings.append(lot)
        bindings.append(preferences)
        bindings.append(requestedLanguage)
        bindings.append(country)
        bindings.append(channel)
        bindings.append(ByteBuffer(bytes: visitor))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> ScanOutcome {
        let cells = row.makeRandomAccess()
        func text(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }

        let verdictName = try cells[0].decode(String.self)
        let languageName = try cells[1].decode(String.self)
        guard let verdict = Verdict(rawValue: verdictName), let language = Language(rawValue: languageName) else {
            throw ScanStatementError.unexpectedValue("\(verdictName)/\(languageName)")
        }
        let facts = ScanFacts(
            sealFound: try cells[3].decode(Bool.self),
            tokenValid: try cells[4].decode(Bool.self),
            lotMatches: try cells[5].decode(Bool.self),
            sealStatus: try text(6).flatMap(SealStatus.init(rawValue:)),
            lotRecalled: try cells[7].decode(Bool.self),
            scanCount: try cells[8].decode(Int?.self) ?? 0,
            firstVisitorAgain: try cells[24].decode(Bool.self))

        var product: ProductText?
        if let name = try text(15) {
            product = ProductText(
                brandName: try text(11) ?? "",
                imageURL: try text(13),
                languages: (try cells[14].decode([String]?.self) ?? []).compactMap(Language.init(rawValue:)),
                name: name,
                description: try text(16) ?? "",
                origin: try text(17) ?? "",
                composition: try text(18) ?? "",
                warnings: try text(19) ?? "",
                hazards: try text(25) ?? "",
                allergens: try text(26) ?? "",
                instructions: try text(27) ?? "",
                characteristics: ProductText.decodeCharacteristics(try text(28)))
        }
        var lot: LotFacts?
        if let code = try text(20) {
            lot = LotFacts(code: code, producedOn: try text(21), expiresOn: try text(22), recallNotice: try text(23))
        }
        return ScanOutcome(
            verdict: verdict,
            supportEmail: try text(12),
            language: language,
            consultationID: try cells[2].decode(Int64.self),
            facts: facts,
            firstScannedOn: try text(9),
            firstCountry: try text(10),
            product: product,
            lot: lot)
    }
}

enum ScanStatementError: Error {
    case unexpectedValue(String)
    case noRow
}

/// The scan statement's text, for `signet bench sql` and the pgbench script.
package var scanStatementSQL: String { ScanStatement.sql }
