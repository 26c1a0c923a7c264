-- "Report a problem" on a scan page: what the consumer says about the
-- product they scanned, bound to that consultation, with an optional photo.
-- Each report raises a consumer_report alert in the same transaction.
CREATE TABLE consumer_reports (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id        bigint NOT NULL REFERENCES brands (id),
    -- One report per consultation (consultations have no foreign keys: partitions come and go).
    consultation_id bigint NOT NULL UNIQUE,
    scanned_at      timestamptz NOT NULL,
    gtin            text NOT NULL,
    serial          text,
    purchase_place  text NOT NULL CHECK (purchase_place IN ('shop', 'website', 'other')),
    seller          text NOT NULL DEFAULT '' CHECK (length(seller) <= 200),
    message         text NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    photo           bytea CHECK (octet_length(photo) <= 5 * 1024 * 1024),
    photo_type      text CHECK (photo_type IN ('image/jpeg', 'image/png')),
    language        signet_language NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((photo IS NULL) = (photo_type IS NULL))
);
CREATE INDEX consumer_reports_brand ON consumer_reports (brand_id, id DESC);

ALTER TABLE alerts DROP CONSTRAINT alerts_type_check;
ALTER TABLE alerts ADD CONSTRAINT alerts_type_check
    CHECK (type IN ('every_scan', 'counterfeit', 'serial_probing', 'scan_sessions_exceeded', 'off_market',
                    'exceptional_country', 'geo_jump', 'recalled_scanned', 'inactive_scanned', 'expired_scanned',
                    'consumer_report'));
