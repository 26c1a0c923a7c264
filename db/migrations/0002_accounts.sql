-- Brand managers and integrations: users, their portal sessions and one-time
-- sign-in links, API keys, product types, and the audit log.

-- One account per e-mail address across Signet, so signing in needs no brand.
CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id      bigint NOT NULL REFERENCES brands (id),
    email         text NOT NULL UNIQUE
                  CHECK (email = lower(email) AND length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    role          text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    -- bcrypt; NULL until the user chooses a password through a sign-in link.
    password_hash text,
    -- The portal's language; NULL follows the browser's Accept-Language.
    language      signet_language,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, id)
);

-- An invitation or a password reset. Only the SHA-256 of the token is kept:
-- the link itself is shown once, to whoever created it.
CREATE TABLE sign_in_links (
    token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    brand_id   bigint NOT NULL,
    user_id    bigint NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (brand_id, user_id) REFERENCES users (brand_id, id) ON DELETE CASCADE
);
CREATE INDEX sign_in_links_user ON sign_in_links (user_id);

-- Portal sessions. The cookie carries a random id and the table its SHA-256,
-- so a copy of this table signs nobody in.
CREATE TABLE sessions (
    id_hash      bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    brand_id     bigint NOT NULL,
    user_id      bigint NOT NULL,
    -- Sent back with every form; compared in constant time.
    csrf_token   text NOT NULL CHECK (length(csrf_token) >= 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- The absolute end, whatever the activity; idle expiry is last_seen_at + the idle limit.
    expires_at   timestamptz NOT NULL,
    FOREIGN KEY (brand_id, user_id) REFERENCES users (brand_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Keys for integrations (ERP, MES, packaging lines). Only the SHA-256 of the
-- key is kept; `prefix` is its first characters, to recognise it in lists.
CREATE TABLE api_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id     bigint NOT NULL REFERENCES brands (id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    prefix       text NOT NULL,
    key_hash     bytea NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
    scopes       text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY[
                     'products:read', 'products:write', 'seals:read', 'seals:write', 'consultations:read',
                     'stats:read', 'events:read', 'events:write']),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, id)
);
-- A name points at one live key; revoked keys keep their name for the audit log.
CREATE UNIQUE INDEX api_keys_live_name ON api_keys (brand_id, name) WHERE revoked_at IS NULL;

-- Brand-defined kinds of product (wine, cosmetics...), named in each language;
-- statistics group by them.
CREATE TABLE product_types (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id   bigint NOT NULL REFERENCES brands (id),
    code       text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    -- Name by language code: {"en": "Wine", "fr": "Vin"}.
    names      jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(names) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, code),
    UNIQUE (brand_id, id)
);

ALTER TABLE products
    ADD COLUMN sku text CHECK (length(sku) BETWEEN 1 AND 64),
    ADD COLUMN product_type_id bigint,
    ADD FOREIGN KEY (brand_id, product_type_id) REFERENCES product_types (brand_id, id);
CREATE UNIQUE INDEX products_brand_sku ON products (brand_id, sku) WHERE sku IS NOT NULL;

-- Who created, changed or deleted what, and when. Append-only.
CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id    bigint NOT NULL REFERENCES brands (id),
    occurred_at timestamptz NOT NULL DEFAULT now(),
    -- "user", "api_key" or "cli"; the ids are kept without foreign keys so the
    -- log outlives the accounts it names.
    actor_kind  text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'cli')),
    actor_id    bigint,
    actor_name  text NOT NULL,
    action      text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    subject     text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_brand_time ON audit_events (brand_id, occurred_at DESC);
