-- The servers keep the catalogue (brands, product types, products and their
-- texts, lots) in memory and verify seal tokens themselves. Every change to
-- those tables, whoever makes it (portal, API, CLI, a migration, direct SQL),
-- names the changed row on channel signet_catalogue: `brand:ID`, `type:ID`,
-- `product:ID` (a product or one of its translations), `lot:ID`, or `all`
-- after a TRUNCATE. PostgreSQL delivers notifications at commit, in commit
-- order, and drops duplicates within a transaction.
CREATE FUNCTION signet_notify_catalogue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb;
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        PERFORM pg_notify('signet_catalogue', 'all');
        RETURN NULL;
    END IF;
    changed := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    PERFORM pg_notify('signet_catalogue', TG_ARGV[0] || ':' || (changed ->> TG_ARGV[1]));
    RETURN NULL;
END
$$;

CREATE TRIGGER brands_notify_catalogue AFTER INSERT OR UPDATE OR DELETE ON brands
    FOR EACH ROW EXECUTE FUNCTION signet_notify_catalogue('brand', 'id');
CREATE TRIGGER product_types_notify_catalogue AFTER INSERT OR UPDATE OR DELETE ON product_types
    FOR EACH ROW EXECUTE FUNCTION signet_notify_catalogue('type', 'id');
CREATE TRIGGER products_notify_catalogue AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION signet_notify_catalogue('product', 'id');
CREATE TRIGGER product_translations_notify_catalogue AFTER INSERT OR UPDATE OR DELETE ON product_translations
    FOR EACH ROW EXECUTE FUNCTION signet_notify_catalogue('product', 'product_id');
CREATE TRIGGER lots_notify_catalogue AFTER INSERT OR UPDATE OR DELETE ON lots
    FOR EACH ROW EXECUTE FUNCTION signet_notify_catalogue('lot', 'id');

CREATE TRIGGER brands_truncate_catalogue AFTER TRUNCATE ON brands
    FOR EACH STATEMENT EXECUTE FUNCTION signet_notify_catalogue();
CREATE TRIGGER product_types_truncate_catalogue AFTER TRUNCATE ON product_types
    FOR EACH STATEMENT EXECUTE FUNCTION signet_notify_catalogue();
CREATE TRIGGER products_truncate_catalogue AFTER TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION signet_notify_catalogue();
CREATE TRIGGER product_translations_truncate_catalogue AFTER TRUNCATE ON product_translations
    FOR EACH STATEMENT EXECUTE FUNCTION signet_notify_catalogue();
CREATE TRIGGER lots_truncate_catalogue AFTER TRUNCATE ON lots
    FOR EACH STATEMENT EXECUTE FUNCTION signet_notify_catalogue();

-- The scan no longer computes tokens or chooses languages in SQL; only the
-- verdict rules stay here (the scan statement writes the verdict it decides).
DROP FUNCTION signet_seal_token(bytea, text, text);
DROP FUNCTION signet_choose_language(text[], text[], text);
