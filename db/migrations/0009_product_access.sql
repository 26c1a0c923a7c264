-- Access narrowed to some product types and/or some products, for users
-- (editors and viewers) and API keys. Both NULL: every product of the brand.
-- Ids without foreign keys: a type or product that goes away simply stops matching.
ALTER TABLE users
    ADD COLUMN access_product_type_ids bigint[],
    ADD COLUMN access_product_ids bigint[],
    ADD CONSTRAINT users_owners_see_everything
        CHECK (role <> 'owner' OR (access_product_type_ids IS NULL AND access_product_ids IS NULL));
ALTER TABLE api_keys
    ADD COLUMN access_product_type_ids bigint[],
    ADD COLUMN access_product_ids bigint[];

-- The products a restriction lets through, resolved when a session or key is read.
CREATE FUNCTION signet_accessible_products(brand bigint, type_ids bigint[], product_ids bigint[]) RETURNS bigint[]
    LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN type_ids IS NULL AND product_ids IS NULL THEN NULL
                ELSE ARRAY(SELECT p.id FROM products p
                           WHERE p.brand_id = brand
                             AND (p.id = ANY(coalesce(product_ids, '{}')) OR p.product_type_id = ANY(coalesce(type_ids, '{}'))))
           END
$$;
