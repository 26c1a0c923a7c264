-- Signet schema: brands, products and their translations, lots, seals, and
-- the append-only log of consultations (one row per scan).

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

CREATE DOMAIN signet_language AS text CHECK (VALUE IN ('en', 'fr', 'de', 'es'));

-- Server-wide keys, generated here so every instance shares them without configuration.
CREATE TABLE signet_secrets (
    name   text PRIMARY KEY,
    secret bytea NOT NULL CHECK (octet_length(secret) >= 32)
);
-- Keys the daily visitor fingerprint: HMAC(IP, User-Agent, UTC day), never the IP itself.
INSERT INTO signet_secrets (name, secret) VALUES ('visitor', gen_random_bytes(32));

-- GS1 mod-10 check digit; must agree with GTIN in SignetCore.
CREATE FUNCTION signet_gtin_is_valid(gtin text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT gtin ~ '^[0-9]{14}$' AND (
        SELECT (10 - sum(substr(gtin, i, 1)::int * CASE WHEN i % 2 = 1 THEN 3 ELSE 1 END) % 10) % 10
        FROM generate_series(1, 13) AS i
    ) = substr(gtin, 14, 1)::int
$$;

-- GS1 AI encodable character set 82, 1 to 20 characters: what lots and serials may hold.
CREATE DOMAIN signet_ai82 AS text CHECK (VALUE ~ '^[-!"%&''()*+,./0-9:;<=>?A-Z_a-z]{1,20}$');

CREATE TABLE brands (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- HMAC key for seal tokens; never leaves the database except to sign exports.
    seal_key         bytea NOT NULL CHECK (octet_length(seal_key) >= 32),
    support_email    text,
    default_language signet_language NOT NULL DEFAULT 'en',
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id         bigint NOT NULL REFERENCES brands (id),
    -- Normalised GTIN-14: a GTIN identifies one trade item worldwide, so it is unique across brands.
    gtin             text NOT NULL UNIQUE CHECK (signet_gtin_is_valid(gtin)),
    default_language signet_language NOT NULL,
    image_url        text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- Lets child rows reference (brand_id, id) so a row can never mix two brands.
    UNIQUE (brand_id, id)
);

CREATE TABLE product_translations (
    brand_id    bigint NOT NULL,
    product_id  bigint NOT NULL,
    language    signet_language NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    origin      text NOT NULL DEFAULT '',
    composition text NOT NULL DEFAULT '',
    safety      text NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, language),
    FOREIGN KEY (brand_id, product_id) REFERENCES products (brand_id, id) ON DELETE CASCADE
);

CREATE TABLE lots (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id      bigint NOT NULL,
    product_id    bigint NOT NULL,
    code          signet_ai82 NOT NULL,
    produced_on   date,
    expires_on    date,
    status        text NOT NULL DEFAULT 'released' CHECK (status IN ('released', 'recalled')),
    -- Recall message by language code: {"en": "...", "fr": "..."}.
    recall_notice jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(recall_notice) = 'object'),
    recalled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (product_id, code),
    UNIQUE (brand_id, id),
    FOREIGN KEY (brand_id, product_id) REFERENCES products (brand_id, id),
    CHECK (expires_on IS NULL OR produced_on IS NULL OR expires_on >= produced_on)
);

CREATE TABLE seals (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id         bigint NOT NULL,
    product_id       bigint NOT NULL,
    lot_id           bigint,
    serial           signet_ai82 NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'deactivated')),
    -- Verified scans of an active seal; written only by the scan statement.
    scan_count       integer NOT NULL DEFAULT 0,
    first_scanned_at timestamptz,
    first_country    text,
    -- Fingerprint of whoever verified the seal first, so their own reloads stay "first".
    first_visitor    bytea,
    last_scanned_at  timestamptz,
    activated_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (product_id, serial),
    FOREIGN KEY (brand_id, product_id) REFERENCES products (brand_id, id),
    FOREIGN KEY (brand_id, lot_id) REFERENCES lots (brand_id, id)
);
CREATE INDEX seals_lot_id ON seals (lot_id);

-- Append-only. Partitioned by month so old months can be detached and archived
-- without touching the live one. No foreign keys: the log must accept every
-- scan, including those naming nothing Signet knows.
CREATE SEQUENCE consultations_id_seq AS bigint;
CREATE TABLE consultations (
    id                 bigint NOT NULL DEFAULT nextval('consultations_id_seq'),
    scanned_at         timestamptz NOT NULL DEFAULT now(),
    brand_id           bigint,
    product_id         bigint,
    seal_id            bigint,
    lot_id             bigint,
    gtin               text NOT NULL,
    serial             text,
    lot_scanned        text,
    country            text NOT NULL CHECK (country = 'unknown' OR country ~ '^[A-Z]{2}$'),
    served_language    signet_language NOT NULL,
    requested_language text CHECK (length(requested_language) <= 8),
    verdict            text NOT NULL CHECK (verdict IN ('genuine_first', 'genuine_seen', 'counterfeit', 'recalled', 'inactive')),
    scan_number        integer,
    -- Daily visitor fingerprint (see signet_secrets); counts scan sessions without storing IPs.
    visitor            bytea,
    channel            text NOT NULL CHECK (channel IN ('qr', 'nfc')),
    PRIMARY KEY (id, scanned_at)
) PARTITION BY RANGE (scanned_at);
ALTER SEQUENCE consultations_id_seq OWNED BY consultations.id;
CREATE INDEX consultations_brand_time ON consultations (brand_id, scanned_at);
CREATE INDEX consultations_seal ON consultations (seal_id) WHERE seal_id IS NOT NULL;
-- Catches rows outside every monthly partition so a missed maintenance run never loses a scan.
CREATE TABLE consultations_default PARTITION OF consultations DEFAULT;

-- Creates the monthly partitions from this month to `months_ahead` months on;
-- returns how many it created. Run at migration, at server start and every 6 hours.
-- CREATE ... PARTITION OF locks the parent table; waiting behind a long reader
-- (a dump, a report) would queue every scan behind it, so give up after 2 s
-- and try again at the next run.
CREATE FUNCTION signet_ensure_consultation_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql SET lock_timeout = '2s' AS $$
DECLARE
    month_start date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    created integer := 0;
    partition_name text;
BEGIN
    FOR step IN 0..months_ahead LOOP
        partition_name := format('consultations_%s', to_char(month_start, 'YYYY_MM'));
        IF to_regclass(partition_name) IS NULL THEN
            BEGIN
                EXECUTE format(
                    'CREATE TABLE %I PARTITION OF consultations FOR VALUES FROM (%L) TO (%L)',
                    partition_name,
                    month_start::timestamp AT TIME ZONE 'UTC',
                    (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC');
                created := created + 1;
            EXCEPTION
                WHEN check_violation THEN
                    -- Rows for this month already sit in the default partition; see OPERATIONS.md.
                    RAISE WARNING 'cannot create %: consultations_default holds rows for that month', partition_name;
                WHEN lock_not_available THEN
                    RAISE WARNING 'cannot create % now: consultations is busy; will retry', partition_name;
            END;
        END IF;
        month_start := (month_start + interval '1 month')::date;
    END LOOP;
    RETURN created;
END
$$;

SELECT signet_ensure_consultation_partitions(3);

-- The seal token; must match SealToken.make in SignetCore (a test checks it).
CREATE FUNCTION signet_seal_token(key bytea, gtin text, serial text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT rtrim(translate(encode(substring(public.hmac(convert_to(gtin || ':' || serial, 'UTF8'), key, 'sha256') FROM 1 FOR 12), 'base64'), '+/', '-_'), '=')
$$;

-- The verdict rules; must match VerdictRules.decide in SignetCore (a test checks every case).
CREATE FUNCTION signet_verdict(seal_found boolean, token_valid boolean, lot_matches boolean,
                               seal_status text, lot_recalled boolean, scan_count integer,
                               first_visitor_again boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN NOT coalesce(seal_found AND token_valid AND lot_matches, false) OR seal_status IS NULL THEN 'counterfeit'
        WHEN coalesce(lot_recalled, false) THEN 'recalled'
        WHEN seal_status <> 'active' THEN 'inactive'
        WHEN coalesce(scan_count, 0) <= 1 OR coalesce(first_visitor_again, false) THEN 'genuine_first'
        ELSE 'genuine_seen'
    END
$$;

-- Language choice; must match LanguagePreferences.choose in SignetCore.
CREATE FUNCTION signet_choose_language(preferences text[], available text[], product_default text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(
        (SELECT p FROM unnest(preferences) WITH ORDINALITY AS u (p, n) WHERE p = ANY (available) ORDER BY n LIMIT 1),
        product_default,
        'en')
$$;
