-- The brand's alert inbox: who moved an alert to acknowledged or resolved,
-- when, and the note left when resolving.
ALTER TABLE alerts
    ADD COLUMN note text CHECK (length(note) <= 2000),
    ADD COLUMN status_changed_at timestamptz,
    ADD COLUMN status_changed_by bigint REFERENCES users (id) ON DELETE SET NULL;

-- The inbox pages newest first by id.
DROP INDEX alerts_brand_created;
CREATE INDEX alerts_brand_id ON alerts (brand_id, id DESC);

-- API keys may read and handle alerts.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_scopes_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scopes_check CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY[
    'products:read', 'products:write', 'seals:read', 'seals:write', 'consultations:read',
    'stats:read', 'events:read', 'events:write', 'alerts:read', 'alerts:write']);
