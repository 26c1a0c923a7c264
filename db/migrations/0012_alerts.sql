-- Alert rules per brand and the alerts they raise, recorded by the `alerts`
-- consumer of the consultation stream (see AlertEvaluator in SignetCore).

CREATE TABLE alert_rules (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id         bigint NOT NULL REFERENCES brands (id),
    kind             text NOT NULL CHECK (kind IN ('every_scan', 'counterfeit', 'scan_sessions_exceeded', 'off_market',
                                                   'exceptional_country', 'geo_jump', 'recalled_scanned',
                                                   'inactive_scanned', 'expired_scanned')),
    enabled          boolean NOT NULL DEFAULT true,
    -- Narrowing: only scans of these product types, products or lots (NULL: the whole catalogue).
    product_type_ids bigint[],
    product_ids      bigint[],
    lot_ids          bigint[],
    -- Thresholds by name: probing_threshold, session_limit, session_minutes,
    -- markets, watch_list, jump_minutes. Missing ones take AlertRule's defaults.
    settings         jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(settings) = 'object'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, id)
);
CREATE INDEX alert_rules_brand ON alert_rules (brand_id) WHERE enabled;

-- Every brand watches for counterfeits from the start; the other rules wait
-- until the brand turns them on.
CREATE FUNCTION signet_default_alert_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO alert_rules (brand_id, kind) VALUES (NEW.id, 'counterfeit');
    RETURN NULL;
END
$$;
CREATE TRIGGER brands_default_alert_rules AFTER INSERT ON brands
    FOR EACH ROW EXECUTE FUNCTION signet_default_alert_rules();
INSERT INTO alert_rules (brand_id, kind) SELECT id, 'counterfeit' FROM brands;

CREATE TABLE alerts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id         bigint NOT NULL REFERENCES brands (id),
    rule_id          bigint REFERENCES alert_rules (id) ON DELETE SET NULL,
    type             text NOT NULL CHECK (type IN ('every_scan', 'counterfeit', 'serial_probing', 'scan_sessions_exceeded',
                                                   'off_market', 'exceptional_country', 'geo_jump', 'recalled_scanned',
                                                   'inactive_scanned', 'expired_scanned')),
    -- The consultation that raised it (consultations have no foreign keys: partitions come and go).
    consultation_id  bigint NOT NULL,
    scanned_at       timestamptz NOT NULL,
    product_id       bigint,
    seal_id          bigint,
    lot_id           bigint,
    gtin             text NOT NULL,
    serial           text,
    country          text NOT NULL,
    verdict          text NOT NULL,
    -- The facts that explain it, by name (previous_country, sessions, ...).
    detail           jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(detail) = 'object'),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- One consultation raises each type of alert once, whichever instance handles it.
    UNIQUE (consultation_id, type)
);
CREATE INDEX alerts_brand_created ON alerts (brand_id, created_at DESC, id DESC);
CREATE INDEX alerts_brand_open ON alerts (brand_id, id) WHERE status = 'open';

-- The alerts consumer handles every consultation written from now on, even
-- before a server has run it once.
INSERT INTO consultation_stream_positions (consumer, xact, id)
VALUES ('alerts', pg_snapshot_xmin(pg_current_snapshot()), 0);
