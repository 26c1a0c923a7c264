-- Webhooks: endpoints a brand registers, and an outbox of deliveries that
-- dispatchers in any instance claim with FOR UPDATE SKIP LOCKED.

CREATE TABLE webhook_endpoints (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id             bigint NOT NULL REFERENCES brands (id),
    url                  text NOT NULL CHECK (length(url) <= 2000),
    description          text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    -- Alert types delivered to this endpoint (every_scan included, when chosen).
    alert_types          text[] NOT NULL CHECK (cardinality(alert_types) > 0),
    -- The signing key, sealed with SIGNET_SECRET_KEY (AES-GCM): shown once, never stored in clear.
    secret_sealed        bytea NOT NULL,
    enabled              boolean NOT NULL DEFAULT true,
    -- Why it was switched off: 'failing' (by the dispatcher) or 'manual'.
    disabled_reason      text CHECK (disabled_reason IN ('failing', 'manual')),
    disabled_at          timestamptz,
    -- The current run of failed attempts, cleared by any success.
    consecutive_failures integer NOT NULL DEFAULT 0,
    failing_since        timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, id)
);
CREATE INDEX webhook_endpoints_brand ON webhook_endpoints (brand_id);

CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id        bigint NOT NULL,
    endpoint_id     bigint NOT NULL,
    -- The webhook-id header: the same on every attempt, so receivers de-duplicate by it.
    message_id      text NOT NULL UNIQUE DEFAULT 'msg_' || replace(gen_random_uuid()::text, '-', ''),
    event_type      text NOT NULL CHECK (event_type IN ('alert.created', 'webhook.test')),
    alert_id        bigint REFERENCES alerts (id) ON DELETE CASCADE,
    -- Fixed by the first attempt (alerts) or at creation (tests), so every attempt sends the same bytes.
    body            bytea,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- A dispatcher holds a claimed delivery until then; past it, another may take it over.
    leased_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    FOREIGN KEY (brand_id, endpoint_id) REFERENCES webhook_endpoints (brand_id, id) ON DELETE CASCADE,
    UNIQUE (endpoint_id, alert_id),
    CHECK ((event_type = 'alert.created') = (alert_id IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);

CREATE TABLE webhook_attempts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id   bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at  timestamptz NOT NULL DEFAULT now(),
    -- The HTTP status, or NULL when no answer came (refused address, timeout, connection error).
    status        integer,
    error         text CHECK (length(error) <= 500),
    latency_ms    integer NOT NULL,
    -- The first bytes of the receiver's answer, to debug it from the portal.
    response_head text CHECK (length(response_head) <= 1024)
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id DESC);

-- Every alert, whichever path raised it, is queued for the brand's endpoints
-- that asked for its type, in the transaction that records it.
CREATE FUNCTION signet_enqueue_webhooks() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO webhook_deliveries (brand_id, endpoint_id, event_type, alert_id)
    SELECT e.brand_id, e.id, 'alert.created', a.id
    FROM inserted a
    JOIN webhook_endpoints e ON e.brand_id = a.brand_id AND e.enabled AND a.type = ANY (e.alert_types);
    RETURN NULL;
END
$$;
CREATE TRIGGER alerts_enqueue_webhooks AFTER INSERT ON alerts
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION signet_enqueue_webhooks();

-- Signet itself acts in the audit log (switching a failing endpoint off).
ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_kind_check
    CHECK (actor_kind IN ('user', 'api_key', 'cli', 'system'));

-- An answer that carries a secret (a new webhook's signing secret) is kept
-- for Idempotency-Key retries sealed with SIGNET_SECRET_KEY, not in clear.
ALTER TABLE idempotency_keys ADD COLUMN body_sealed boolean NOT NULL DEFAULT false;
