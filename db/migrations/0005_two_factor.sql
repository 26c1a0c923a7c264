-- Two-factor sign-in with TOTP (RFC 6238) and one-time recovery codes.

-- The TOTP secret, sealed with AES-GCM under SIGNET_SECRET_KEY, which is not
-- in the database: a dump alone cannot produce codes.
ALTER TABLE users
    ADD COLUMN totp_secret bytea,
    ADD COLUMN totp_enabled_at timestamptz,
    -- The last accepted 30-second step: each code works once.
    ADD COLUMN totp_last_step bigint;

CREATE TABLE recovery_codes (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the code; the codes are shown once, at enrolment.
    code_hash bytea NOT NULL CHECK (octet_length(code_hash) = 32),
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- A session between the password and the second factor can do nothing but
-- finish signing in; an enrolment in progress keeps its sealed secret here.
ALTER TABLE sessions
    ADD COLUMN state text NOT NULL DEFAULT 'authenticated' CHECK (state IN ('authenticated', 'awaiting_second_factor')),
    ADD COLUMN pending_totp_secret bytea;
