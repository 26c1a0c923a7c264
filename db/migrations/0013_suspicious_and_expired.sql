-- Two verdicts decided in the scan statement: `expired` when the seal's lot
-- is past its expiry date, `suspicious` when the seal has been verified in
-- more scan sessions than the brand allows (a copied code scanned by many).

-- A scan session: one visitor fingerprint, scans less than the brand's
-- session_minutes apart. The seal keeps the running count, the last visitor
-- and the countries it was verified in (the first eight), so the scan
-- statement decides from its own row. Seals verified before this migration
-- start counting sessions at their next scan.
ALTER TABLE seals
    ADD COLUMN scan_sessions integer NOT NULL DEFAULT 0,
    ADD COLUMN last_visitor bytea,
    ADD COLUMN countries text[] NOT NULL DEFAULT '{}';

ALTER TABLE brands
    ADD COLUMN session_limit integer NOT NULL DEFAULT 5 CHECK (session_limit BETWEEN 1 AND 1000),
    ADD COLUMN session_minutes integer NOT NULL DEFAULT 30 CHECK (session_minutes BETWEEN 1 AND 1440);

ALTER TABLE consultations DROP CONSTRAINT consultations_verdict_check;
ALTER TABLE consultations ADD CONSTRAINT consultations_verdict_check
    CHECK (verdict IN ('genuine_first', 'genuine_seen', 'suspicious', 'counterfeit', 'recalled', 'inactive', 'expired'));

DROP FUNCTION signet_verdict(boolean, boolean, boolean, text, boolean, integer, boolean);

-- The verdict rules; must match VerdictRules.decide in SignetCore (a test checks every case).
CREATE FUNCTION signet_verdict(seal_found boolean, token_valid boolean, lot_matches boolean,
                               seal_status text, lot_recalled boolean, lot_expired boolean,
                               scan_count integer, scan_sessions integer, session_limit integer,
                               first_visitor_again boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN NOT coalesce(seal_found AND token_valid AND lot_matches, false) OR seal_status IS NULL THEN 'counterfeit'
        WHEN coalesce(lot_recalled, false) THEN 'recalled'
        WHEN seal_status <> 'active' THEN 'inactive'
        WHEN coalesce(lot_expired, false) THEN 'expired'
        WHEN coalesce(scan_sessions, 0) > coalesce(session_limit, 2147483647) THEN 'suspicious'
        WHEN coalesce(scan_count, 0) <= 1 OR coalesce(first_visitor_again, false) THEN 'genuine_first'
        ELSE 'genuine_seen'
    END
$$;
