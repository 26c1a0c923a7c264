-- Links a brand gives its products for the GS1 resolver: for the product (its
-- GTIN), one of its lots (by the lot's GS1 value, registered or not) or one
-- serial. The resolver answers from the in-memory catalogue, so a change names
-- its product on signet_catalogue like the product's own rows.
CREATE TABLE product_links (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id    bigint NOT NULL REFERENCES brands (id),
    product_id  bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    lot_code    text CHECK (lot_code ~ '^[!-"%-?A-Z_a-z]{1,20}$'),
    serial      text CHECK (serial ~ '^[!-"%-?A-Z_a-z]{1,20}$'),
    -- A term of the GS1 Web Vocabulary, without its namespace (pip, safetyInfo...).
    link_type   text NOT NULL CHECK (link_type ~ '^[a-zA-Z]{2,40}$'
                                     AND link_type NOT IN ('defaultLink', 'defaultLinkMulti', 'handledBy')),
    href        text NOT NULL CHECK (href ~ '^https?://[^[:space:]]+$' AND length(href) <= 2000),
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    languages   text[] NOT NULL DEFAULT '{}' CHECK (array_to_string(languages, ',') ~ '^([a-z]{2}(-[A-Z]{2})?(,[a-z]{2}(-[A-Z]{2})?)*)?$'),
    media_type  text CHECK (media_type ~ '^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$'),
    context     text CHECK (context ~ '^[A-Za-z0-9_.:-]{1,60}$'),
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- GS1: a link for a serial of a GTIN is not also for a lot.
    CHECK (lot_code IS NULL OR serial IS NULL)
);

CREATE INDEX product_links_product ON product_links (product_id);
-- At most one default per level.
CREATE UNIQUE INDEX product_links_one_default
    ON product_links (product_id, coalesce(lot_code, ''), coalesce(serial, '')) WHERE is_default;

CREATE TRIGGER product_links_notify_catalogue AFTER INSERT OR UPDATE OR DELETE ON product_links
    FOR EACH ROW EXECUTE FUNCTION signet_notify_catalogue('product', 'product_id');
CREATE TRIGGER product_links_truncate_catalogue AFTER TRUNCATE ON product_links
    FOR EACH STATEMENT EXECUTE FUNCTION signet_notify_catalogue();
