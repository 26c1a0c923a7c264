-- Seal batches and the background jobs that generate them.

-- Work that outlives a request (a million seals, an import). Any instance may
-- run a job: it claims one with FOR UPDATE SKIP LOCKED and reports progress
-- here, so a page reload or another instance sees where it stands.
CREATE TABLE jobs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id      bigint NOT NULL REFERENCES brands (id),
    kind          text NOT NULL CHECK (kind IN ('seal_batch')),
    state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    progress_done bigint NOT NULL DEFAULT 0,
    progress_total bigint NOT NULL DEFAULT 0,
    -- What went wrong, for the people who asked (no internals).
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    -- A running job whose heartbeat stops (a crashed instance) is taken over.
    heartbeat_at  timestamptz,
    finished_at   timestamptz,
    attempts      integer NOT NULL DEFAULT 0,
    UNIQUE (brand_id, id)
);
CREATE INDEX jobs_waiting ON jobs (created_at) WHERE state IN ('queued', 'running');

CREATE TABLE seal_batches (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id         bigint NOT NULL,
    product_id       bigint NOT NULL,
    lot_id           bigint,
    job_id           bigint,
    -- Generated batches have a quantity and serial length; imported ones list their serials.
    source           text NOT NULL CHECK (source IN ('generated', 'imported')),
    quantity         integer NOT NULL CHECK (quantity BETWEEN 1 AND 10000000),
    serial_length    integer CHECK (serial_length BETWEEN 8 AND 20),
    initial_status   text NOT NULL CHECK (initial_status IN ('pending', 'active')),
    -- ISO 3166-1 alpha-2 countries the batch is meant for; empty: anywhere.
    intended_markets text[] NOT NULL DEFAULT '{}' CHECK (array_to_string(intended_markets, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'),
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (brand_id, id),
    FOREIGN KEY (brand_id, product_id) REFERENCES products (brand_id, id),
    FOREIGN KEY (brand_id, lot_id) REFERENCES lots (brand_id, id),
    FOREIGN KEY (brand_id, job_id) REFERENCES jobs (brand_id, id)
);
CREATE INDEX seal_batches_product ON seal_batches (product_id);

ALTER TABLE seals
    ADD COLUMN batch_id bigint,
    ADD FOREIGN KEY (brand_id, batch_id) REFERENCES seal_batches (brand_id, id);
CREATE INDEX seals_batch ON seals (batch_id) WHERE batch_id IS NOT NULL;
