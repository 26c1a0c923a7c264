-- NFC taps in the scan statement. Two verdicts: `replayed` (a tap URL whose
-- read counter is not past the tag's last accepted one: a copy) and
-- `tampered` (a TagTamper seal whose loop reports it opened). Each NFC
-- consultation keeps the counter it carried; the tag keeps who made its last
-- accepted tap, so the same visitor reloading the same tap page within the
-- brand's session minutes (or switching its language) is not taken for a copy.

ALTER TABLE consultations DROP CONSTRAINT consultations_verdict_check;
ALTER TABLE consultations ADD CONSTRAINT consultations_verdict_check
    CHECK (verdict IN ('genuine_first', 'genuine_seen', 'suspicious', 'counterfeit', 'recalled', 'inactive', 'expired',
                       'replayed', 'tampered'));
ALTER TABLE consultations ADD COLUMN tap_counter integer;

ALTER TABLE nfc_tags
    ADD COLUMN last_visitor bytea,
    ADD COLUMN taps integer NOT NULL DEFAULT 0;

DROP FUNCTION signet_verdict(boolean, boolean, boolean, text, boolean, boolean, integer, integer, integer, boolean);

-- The verdict rules; must match VerdictRules.decide in SignetCore (a test checks every case).
CREATE FUNCTION signet_verdict(seal_found boolean, token_valid boolean, lot_matches boolean,
                               seal_status text, lot_recalled boolean, lot_expired boolean,
                               scan_count integer, scan_sessions integer, session_limit integer,
                               first_visitor_again boolean, tap_fresh boolean, tampered boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN NOT coalesce(seal_found AND token_valid AND lot_matches, false) OR seal_status IS NULL THEN 'counterfeit'
        WHEN NOT coalesce(tap_fresh, true) THEN 'replayed'
        WHEN coalesce(lot_recalled, false) THEN 'recalled'
        WHEN seal_status <> 'active' THEN 'inactive'
        WHEN coalesce(tampered, false) THEN 'tampered'
        WHEN coalesce(lot_expired, false) THEN 'expired'
        WHEN coalesce(scan_sessions, 0) > coalesce(session_limit, 2147483647) THEN 'suspicious'
        WHEN coalesce(scan_count, 0) <= 1 OR coalesce(first_visitor_again, false) THEN 'genuine_first'
        ELSE 'genuine_seen'
    END
$$;

-- A replayed tap is raised by the counterfeit rule; an opened seal by its own
-- rule, on for every brand like the counterfeit rule.
ALTER TABLE alerts DROP CONSTRAINT alerts_type_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_type_check
    CHECK (type IN ('every_scan', 'counterfeit', 'serial_probing', 'scan_sessions_exceeded', 'off_market',
                    'exceptional_country', 'geo_jump', 'recalled_scanned', 'inactive_scanned', 'expired_scanned',
                    'consumer_report', 'replayed_tap', 'tampered_scanned'));
ALTER TABLE alert_rules DROP CONSTRAINT alert_rules_kind_check;
ALTER TABLE alert_rules ADD CONSTRAINT alert_rules_kind_check
    CHECK (kind IN ('every_scan', 'counterfeit', 'scan_sessions_exceeded', 'off_market', 'exceptional_country', 'geo_jump',
                    'recalled_scanned', 'inactive_scanned', 'expired_scanned', 'tampered_scanned'));

CREATE OR REPLACE FUNCTION signet_default_alert_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO alert_rules (brand_id, kind) VALUES (NEW.id, 'counterfeit'), (NEW.id, 'tampered_scanned');
    RETURN NULL;
END
$$;
INSERT INTO alert_rules (brand_id, kind) SELECT id, 'tampered_scanned' FROM brands;
