-- Loyalty: consumers earn points for genuine first scans and redeem them for
-- the brand's rewards. Points live in an append-only ledger; the balance per
-- wallet and brand is a checked running total that concurrent claims and
-- redemptions update under its row lock and can never take below zero.

-- The brand's programme. Off until the brand turns it on.
ALTER TABLE brands
    ADD COLUMN loyalty_enabled boolean NOT NULL DEFAULT false,
    ADD COLUMN loyalty_points integer NOT NULL DEFAULT 10 CHECK (loyalty_points BETWEEN 1 AND 100000),
    ADD COLUMN loyalty_daily_claims integer NOT NULL DEFAULT 5 CHECK (loyalty_daily_claims BETWEEN 1 AND 1000),
    ADD COLUMN loyalty_claim_gap_seconds integer NOT NULL DEFAULT 60 CHECK (loyalty_claim_gap_seconds BETWEEN 0 AND 86400),
    -- Points of a wallet that has neither claimed nor redeemed for this long expire; null: never.
    ADD COLUMN loyalty_expiry_days integer CHECK (loyalty_expiry_days BETWEEN 1 AND 3650);

-- Points for one product's genuine first scan; null: the brand's default.
ALTER TABLE products ADD COLUMN loyalty_points integer CHECK (loyalty_points BETWEEN 0 AND 100000);

-- A consumer's wallet, across brands. It starts as a device wallet (a random
-- token in a long-lived cookie); an e-mail and a password may be attached.
-- Deleting an account erases what identifies the person and keeps the row,
-- so the ledger's rows stay whole and the brands' totals right.
CREATE TABLE wallets (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         text UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
    password_hash text,
    language      signet_language NOT NULL DEFAULT 'en',
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Set when a device wallet was merged into an account: it holds nothing since.
    merged_into   bigint REFERENCES wallets (id),
    erased_at     timestamptz,
    CHECK (erased_at IS NULL OR (email IS NULL AND password_hash IS NULL))
);

-- Devices signed in to a wallet: SHA-256 of the cookie's token, never the token.
CREATE TABLE wallet_devices (
    token_hash   bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    wallet_id    bigint NOT NULL REFERENCES wallets (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wallet_devices_wallet ON wallet_devices (wallet_id);

-- The running total of one wallet at one brand, and what the claim rules need.
CREATE TABLE loyalty_balances (
    wallet_id        bigint NOT NULL REFERENCES wallets (id),
    brand_id         bigint NOT NULL REFERENCES brands (id),
    points           integer NOT NULL DEFAULT 0 CHECK (points >= 0),
    -- Claims on claims_day (UTC), for the daily cap.
    claims_day       date,
    claims_that_day  integer NOT NULL DEFAULT 0,
    last_claim_at    timestamptz,
    -- The last claim or redemption: points expire counted from here.
    last_activity_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (wallet_id, brand_id)
);
CREATE INDEX loyalty_balances_expiry ON loyalty_balances (brand_id, last_activity_at) WHERE points > 0;

CREATE TABLE rewards (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id         bigint NOT NULL REFERENCES brands (id),
    point_cost       integer NOT NULL CHECK (point_cost BETWEEN 1 AND 10000000),
    -- Null: unlimited.
    stock            integer CHECK (stock >= 0),
    per_wallet_limit integer CHECK (per_wallet_limit >= 1),
    active_from      timestamptz,
    active_until     timestamptz,
    image_url        text,
    default_language signet_language NOT NULL DEFAULT 'en',
    archived         boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, id),
    CHECK (active_until IS NULL OR active_from IS NULL OR active_until > active_from)
);

CREATE TABLE reward_translations (
    brand_id    bigint NOT NULL,
    reward_id   bigint NOT NULL,
    language    signet_language NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    PRIMARY KEY (reward_id, language),
    FOREIGN KEY (brand_id, reward_id) REFERENCES rewards (brand_id, id) ON DELETE CASCADE
);

CREATE TABLE redemptions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id        bigint NOT NULL,
    reward_id       bigint NOT NULL,
    wallet_id       bigint NOT NULL REFERENCES wallets (id),
    points          integer NOT NULL CHECK (points > 0),
    -- Crockford base-32, 12 characters, stored without separators.
    voucher_code    text NOT NULL UNIQUE CHECK (voucher_code ~ '^[0-9A-HJKMNP-TV-Z]{12}$'),
    status          text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'used', 'cancelled')),
    -- The wallet's retry of one redemption returns this one instead of a second.
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    created_at      timestamptz NOT NULL DEFAULT now(),
    used_at         timestamptz,
    -- Who used it: a portal user or an API key, and where (the shop's own words).
    used_by         text,
    cancelled_at    timestamptz,
    cancelled_by    text,
    UNIQUE (wallet_id, idempotency_key),
    FOREIGN KEY (brand_id, reward_id) REFERENCES rewards (brand_id, id),
    CHECK ((status = 'used') = (used_at IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX redemptions_brand ON redemptions (brand_id, id DESC);
CREATE INDEX redemptions_wallet_reward ON redemptions (wallet_id, reward_id) WHERE status <> 'cancelled';

-- Append-only: every change of a balance, with the balance it left.
CREATE TABLE loyalty_ledger (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wallet_id       bigint NOT NULL REFERENCES wallets (id),
    brand_id        bigint NOT NULL REFERENCES brands (id),
    kind            text NOT NULL CHECK (kind IN ('earn', 'redeem', 'refund', 'expire', 'adjust', 'merge')),
    points          integer NOT NULL CHECK (points <> 0),
    balance_after   integer NOT NULL CHECK (balance_after >= 0),
    -- earn: the consultation and seal that earned it (consultations have no foreign keys).
    consultation_id bigint,
    seal_id         bigint REFERENCES seals (id),
    product_id      bigint REFERENCES products (id),
    redemption_id   bigint REFERENCES redemptions (id),
    -- adjust: why, and who.
    reason          text CHECK (length(reason) <= 500),
    actor           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'earn' OR (points > 0 AND seal_id IS NOT NULL AND consultation_id IS NOT NULL)),
    CHECK (kind NOT IN ('redeem', 'refund') OR redemption_id IS NOT NULL),
    CHECK (kind <> 'adjust' OR (reason IS NOT NULL AND actor IS NOT NULL))
);
-- A seal earns points once, ever: whoever claims first.
CREATE UNIQUE INDEX loyalty_ledger_seal_earned ON loyalty_ledger (seal_id) WHERE kind = 'earn';
-- A redemption is refunded once.
CREATE UNIQUE INDEX loyalty_ledger_refunded ON loyalty_ledger (redemption_id) WHERE kind = 'refund';
CREATE INDEX loyalty_ledger_wallet ON loyalty_ledger (wallet_id, id DESC);
CREATE INDEX loyalty_ledger_brand ON loyalty_ledger (brand_id, created_at);

CREATE FUNCTION signet_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'loyalty_ledger is append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER loyalty_ledger_append_only BEFORE UPDATE OR DELETE ON loyalty_ledger
    FOR EACH ROW EXECUTE FUNCTION signet_ledger_append_only();

-- A shop's staff sign in with a role that only checks and uses vouchers, and
-- a till may use a key that can do only that.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('owner', 'editor', 'viewer', 'shop'));
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scopes_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scopes_check CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY[
    'products:read', 'products:write', 'seals:read', 'seals:write', 'consultations:read',
    'stats:read', 'events:read', 'events:write', 'alerts:read', 'alerts:write', 'vouchers:use',
    'loyalty:read', 'loyalty:write']);
