-- Track & trace: partners, containers (SSCC) and what they held when, EPCIS
-- 2.0 events as captured, and the state those events leave on each seal.

-- A GS1 key of `length` digits whose last digit is its check digit (GTIN-14,
-- GLN-13, SSCC-18): weights 3 and 1 alternate from the digit before the check digit.
CREATE FUNCTION signet_gs1_key_is_valid(key text, length integer) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT key ~ ('^[0-9]{' || length || '}$') AND (
        SELECT (10 - sum(substr(key, i, 1)::int * CASE WHEN (length - i) % 2 = 1 THEN 3 ELSE 1 END) % 10) % 10
        FROM generate_series(1, length - 1) AS i
    ) = substr(key, length, 1)::int
$$;

-- Seals printed `pending` wait for a commissioning event before they verify.
ALTER TABLE brands ADD COLUMN activate_on_commissioning boolean NOT NULL DEFAULT false;

-- Distributors, retailers and warehouses a brand ships to. Found in events by
-- GLN (a party's PGLN or a location's SGLN without its extension).
CREATE TABLE partners (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id    bigint NOT NULL REFERENCES brands (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    gln         text NOT NULL CHECK (signet_gs1_key_is_valid(gln, 13)),
    kind        text NOT NULL CHECK (kind IN ('distributor', 'retailer', 'warehouse', 'other')),
    -- Where the partner may sell: what the off-market alert holds a shipped unit's scans to.
    countries   text[] NOT NULL DEFAULT '{}' CHECK (array_to_string(countries, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, gln),
    UNIQUE (brand_id, id)
);

-- Cartons and pallets, per brand: an SSCC named in a brand's events is that
-- brand's container, so one brand's events never reach another's goods.
CREATE TABLE containers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id    bigint NOT NULL REFERENCES brands (id),
    sscc        text NOT NULL CHECK (signet_gs1_key_is_valid(sscc, 18)),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, sscc),
    UNIQUE (brand_id, id)
);

-- EPCIS 2.0 events as captured: typed columns for what queries filter on,
-- the whole event as sent in `document`.
CREATE TABLE trace_events (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id               bigint NOT NULL REFERENCES brands (id),
    -- As sent, or a hash of the event when it came without one; what makes capture idempotent.
    event_id               text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 500),
    event_type             text NOT NULL CHECK (event_type IN ('ObjectEvent', 'AggregationEvent', 'TransactionEvent',
                                                               'TransformationEvent', 'AssociationEvent')),
    action                 text CHECK (action IN ('ADD', 'OBSERVE', 'DELETE')),
    event_time             timestamptz NOT NULL,
    event_time_zone_offset text NOT NULL CHECK (event_time_zone_offset ~ '^[+-][0-9]{2}:[0-9]{2}$'),
    record_time            timestamptz NOT NULL DEFAULT now(),
    -- CBV values bare (`shipping`), other vocabularies as their URI.
    biz_step               text,
    disposition            text,
    -- Identifiers in their GS1 Digital Link form.
    read_point             text,
    biz_location           text,
    parent_id              text,
    -- Whoever holds the goods after the event (a destination party or location, or where they were received).
    holder_gln             text CHECK (holder_gln IS NULL OR signet_gs1_key_is_valid(holder_gln, 13)),
    -- An error declaration repeats the erroneous event's eventID with an
    -- `errorDeclaration`: stored beside it, and the original stops counting.
    declares_error         boolean NOT NULL DEFAULT false,
    document               jsonb NOT NULL CHECK (jsonb_typeof(document) = 'object'),
    UNIQUE (brand_id, event_id, declares_error),
    UNIQUE (brand_id, id)
);
CREATE INDEX trace_events_brand_time ON trace_events (brand_id, event_time);

-- Every identifier an event names, by role, for the MATCH_ query parameters.
-- Digital Link form, so a URN and a Digital Link URI of one item find the same events.
CREATE TABLE trace_event_identifiers (
    event_id   bigint NOT NULL REFERENCES trace_events (id),
    brand_id   bigint NOT NULL,
    role       text NOT NULL CHECK (role IN ('epc', 'parent', 'input', 'output', 'class', 'input_class', 'output_class')),
    uri        text NOT NULL,
    PRIMARY KEY (event_id, role, uri)
);
-- text_pattern_ops serves the prefix match of `urn:epc:idpat:sgtin:…*` patterns.
CREATE INDEX trace_event_identifiers_uri ON trace_event_identifiers (brand_id, uri text_pattern_ops);

-- What was in which container, and when (event times): an event on a
-- container applies to what was inside it at the event's time, at any depth.
CREATE TABLE container_contents (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id           bigint NOT NULL,
    container_id       bigint NOT NULL,
    seal_id            bigint REFERENCES seals (id),
    child_container_id bigint,
    packed_at          timestamptz NOT NULL,
    unpacked_at        timestamptz,
    packed_by          bigint NOT NULL REFERENCES trace_events (id),
    unpacked_by        bigint REFERENCES trace_events (id),
    CHECK ((seal_id IS NULL) <> (child_container_id IS NULL)),
    CHECK (child_container_id IS DISTINCT FROM container_id),
    CHECK (unpacked_at IS NULL OR unpacked_at >= packed_at),
    FOREIGN KEY (brand_id, container_id) REFERENCES containers (brand_id, id),
    FOREIGN KEY (brand_id, child_container_id) REFERENCES containers (brand_id, id)
);
CREATE INDEX container_contents_container ON container_contents (container_id, packed_at);
-- A unit is in one container at a time.
CREATE UNIQUE INDEX container_contents_open_seal ON container_contents (seal_id)
    WHERE unpacked_at IS NULL AND seal_id IS NOT NULL;
CREATE UNIQUE INDEX container_contents_open_container ON container_contents (child_container_id)
    WHERE unpacked_at IS NULL AND child_container_id IS NOT NULL;

-- Which seals each event concerns: named in it, or inside a container it
-- names at its time (`via_container_id`). Written at capture.
CREATE TABLE trace_event_seals (
    seal_id          bigint NOT NULL REFERENCES seals (id),
    event_id         bigint NOT NULL REFERENCES trace_events (id),
    brand_id         bigint NOT NULL,
    via_container_id bigint REFERENCES containers (id),
    PRIMARY KEY (seal_id, event_id)
);
CREATE INDEX trace_event_seals_event ON trace_event_seals (event_id);

-- The state events leave on a seal: the latest disposition and holder by event time.
CREATE TABLE seal_trace (
    seal_id           bigint PRIMARY KEY REFERENCES seals (id),
    brand_id          bigint NOT NULL REFERENCES brands (id),
    disposition       text,
    disposition_at    timestamptz,
    -- Matched to a partner when read, so a partner added later finds what it already holds.
    holder_gln        text,
    held_since        timestamptz,
    -- Null when every event the seal had was declared erroneous.
    last_event_at     timestamptz
);
CREATE INDEX seal_trace_holder ON seal_trace (brand_id, holder_gln) WHERE holder_gln IS NOT NULL;

-- Capture requests: a large document is kept here until a job has applied it,
-- and its outcome answers `GET /epcis/capture/{id}`.
CREATE TABLE trace_captures (
    id              uuid PRIMARY KEY,
    brand_id        bigint NOT NULL REFERENCES brands (id),
    job_id          bigint REFERENCES jobs (id),
    error_behaviour text NOT NULL CHECK (error_behaviour IN ('rollback', 'proceed')),
    document        bytea,
    event_count     integer NOT NULL,
    captured        integer NOT NULL DEFAULT 0,
    -- Events Signet already had (by eventID): reported, not stored again.
    duplicate_event_ids text[] NOT NULL DEFAULT '{}',
    -- Problems by event: [{"index": 3, "field": "...", "message": "..."}].
    errors          jsonb NOT NULL DEFAULT '[]'::jsonb,
    running         boolean NOT NULL DEFAULT true,
    success         boolean,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE INDEX trace_captures_brand ON trace_captures (brand_id, created_at);

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN ('seal_batch', 'trace_capture'));
