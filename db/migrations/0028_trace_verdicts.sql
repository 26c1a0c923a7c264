-- What supply-chain events tell the consumer who scans: a unit recalled (by
-- its lot, its container or its serial), reported stolen or destroyed, or
-- past its expiry. Kept on the seal row the scan already reads, so the scan
-- stays one statement with no extra join.

-- Recalls made from the portal or the API for containers or serials, with
-- the notice consumers read (lot recalls keep theirs on the lot).
CREATE TABLE recalls (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id    bigint NOT NULL REFERENCES brands (id),
    -- Notice by language code: {"en": "...", "fr": "..."}.
    notice      jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(notice) = 'object'),
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, id)
);
CREATE TRIGGER recalls_notify_catalogue AFTER INSERT OR UPDATE OR DELETE ON recalls
    FOR EACH ROW EXECUTE FUNCTION signet_notify_catalogue('recall', 'id');
CREATE TRIGGER recalls_truncate_catalogue AFTER TRUNCATE ON recalls
    FOR EACH STATEMENT EXECUTE FUNCTION signet_notify_catalogue();

-- The seal's latest disposition when it changes the scan's verdict; null otherwise.
ALTER TABLE seals
    ADD COLUMN trace_state text CHECK (trace_state IN ('recalled', 'stolen', 'destroyed', 'expired')),
    ADD COLUMN recall_id bigint REFERENCES recalls (id);

-- The recall a captured event belongs to, when made with a notice.
ALTER TABLE trace_events ADD COLUMN recall_id bigint REFERENCES recalls (id);
ALTER TABLE seal_trace ADD COLUMN recall_id bigint REFERENCES recalls (id);

ALTER TABLE consultations DROP CONSTRAINT consultations_verdict_check;
ALTER TABLE consultations ADD CONSTRAINT consultations_verdict_check
    CHECK (verdict IN ('genuine_first', 'genuine_seen', 'suspicious', 'counterfeit', 'recalled', 'inactive', 'expired',
                       'replayed', 'tampered', 'stolen', 'destroyed'));

DROP FUNCTION signet_verdict(boolean, boolean, boolean, text, boolean, boolean, integer, integer, integer, boolean, boolean, boolean);

-- The verdict rules; must match VerdictRules.decide in SignetCore (a test checks every case).
CREATE FUNCTION signet_verdict(seal_found boolean, token_valid boolean, lot_matches boolean,
                               seal_status text, lot_recalled boolean, lot_expired boolean,
                               scan_count integer, scan_sessions integer, session_limit integer,
                               first_visitor_again boolean, tap_fresh boolean, tampered boolean,
                               trace_state text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN NOT coalesce(seal_found AND token_valid AND lot_matches, false) OR seal_status IS NULL THEN 'counterfeit'
        WHEN NOT coalesce(tap_fresh, true) THEN 'replayed'
        WHEN coalesce(lot_recalled, false) OR trace_state = 'recalled' THEN 'recalled'
        WHEN trace_state = 'destroyed' THEN 'destroyed'
        WHEN trace_state = 'stolen' THEN 'stolen'
        WHEN seal_status <> 'active' THEN 'inactive'
        WHEN coalesce(tampered, false) THEN 'tampered'
        WHEN coalesce(lot_expired, false) OR trace_state = 'expired' THEN 'expired'
        WHEN coalesce(scan_sessions, 0) > coalesce(session_limit, 2147483647) THEN 'suspicious'
        WHEN coalesce(scan_count, 0) <= 1 OR coalesce(first_visitor_again, false) THEN 'genuine_first'
        ELSE 'genuine_seen'
    END
$$;

-- A stolen or destroyed unit scanned is a lead to act on: on for every brand.
ALTER TABLE alerts DROP CONSTRAINT alerts_type_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_type_check
    CHECK (type IN ('every_scan', 'counterfeit', 'serial_probing', 'scan_sessions_exceeded', 'off_market',
                    'exceptional_country', 'geo_jump', 'recalled_scanned', 'inactive_scanned', 'expired_scanned',
                    'consumer_report', 'replayed_tap', 'tampered_scanned', 'stolen_scanned', 'destroyed_scanned'));
ALTER TABLE alert_rules DROP CONSTRAINT alert_rules_kind_check;
ALTER TABLE alert_rules ADD CONSTRAINT alert_rules_kind_check
    CHECK (kind IN ('every_scan', 'counterfeit', 'scan_sessions_exceeded', 'off_market', 'exceptional_country', 'geo_jump',
                    'recalled_scanned', 'inactive_scanned', 'expired_scanned', 'tampered_scanned', 'stolen_scanned',
                    'destroyed_scanned'));

CREATE OR REPLACE FUNCTION signet_default_alert_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO alert_rules (brand_id, kind)
    VALUES (NEW.id, 'counterfeit'), (NEW.id, 'tampered_scanned'), (NEW.id, 'stolen_scanned'), (NEW.id, 'destroyed_scanned');
    RETURN NULL;
END
$$;
INSERT INTO alert_rules (brand_id, kind) SELECT id, 'stolen_scanned' FROM brands;
INSERT INTO alert_rules (brand_id, kind) SELECT id, 'destroyed_scanned' FROM brands;
