-- Safety data as the consumer reads it, in parts a brand fills separately:
-- the old free "safety" text becomes the warnings; hazard statements (one per
-- line, e.g. "H319 Causes serious eye irritation"), allergens and usage
-- instructions join it; characteristics are the brand's own ordered
-- name/value pairs ("Volume" / "75 cl").
ALTER TABLE product_translations RENAME COLUMN safety TO warnings;
ALTER TABLE product_translations
    ADD COLUMN hazards         text NOT NULL DEFAULT '',
    ADD COLUMN allergens       text NOT NULL DEFAULT '',
    ADD COLUMN instructions    text NOT NULL DEFAULT '',
    ADD COLUMN characteristics jsonb NOT NULL DEFAULT '[]'::jsonb
        CHECK (jsonb_typeof(characteristics) = 'array' AND jsonb_array_length(characteristics) <= 50);

-- Product images, kept in the database so every instance serves them; the
-- URL names the content's SHA-256, so a changed image is a new URL and an
-- old one may be cached for ever.
CREATE TABLE product_images (
    sha256       bytea PRIMARY KEY CHECK (length(sha256) = 32),
    brand_id     bigint NOT NULL REFERENCES brands (id),
    media_type   text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg', 'image/webp')),
    bytes        bytea NOT NULL CHECK (length(bytes) BETWEEN 1 AND 2097152),
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- A product type's name changes with a version, like a product's.
ALTER TABLE product_types ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
