-- NFC seals: a seal may carry an NTAG 424 DNA tag. Its keys are derived from
-- the brand's master key (SIGNET_NFC_KEYS_FILE) and never stored here; the
-- tag's last accepted read counter is what tells a new tap from a copy.
CREATE TABLE nfc_tags (
    seal_id       bigint PRIMARY KEY REFERENCES seals (id),
    brand_id      bigint NOT NULL REFERENCES brands (id),
    uid           bytea NOT NULL UNIQUE CHECK (octet_length(uid) = 7),
    -- The master key version the tag was programmed with.
    key_version   smallint NOT NULL CHECK (key_version BETWEEN 1 AND 255),
    -- -1 until the first accepted tap; the tag counts in 24 bits.
    last_counter  integer NOT NULL DEFAULT -1 CHECK (last_counter BETWEEN -1 AND 16777215),
    last_tap_at   timestamptz,
    registered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nfc_tags_brand ON nfc_tags (brand_id);
