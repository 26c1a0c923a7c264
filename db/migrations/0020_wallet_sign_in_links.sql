-- A wallet holder who has forgotten the password, or is on a new phone, asks
-- for a one-time sign-in link by e-mail (when SMTP is configured). Only the
-- SHA-256 of the token is kept; a link signs in once, within 15 minutes.
CREATE TABLE wallet_sign_in_links (
    token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    wallet_id  bigint NOT NULL REFERENCES wallets (id),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wallet_sign_in_links_wallet ON wallet_sign_in_links (wallet_id);
