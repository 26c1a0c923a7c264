-- The consultation stream: everything that reacts to scans (alerts,
-- statistics, webhooks) reads the committed consultations after the scan,
-- each reader exactly once, in order of the transaction that wrote them.
--
-- Ids come from a sequence and do not commit in id order: a reader taking
-- "every id above the last one I saw" would skip a row whose transaction
-- committed late. Each row therefore records the transaction that wrote it
-- (`xact`), and a reader only takes rows whose transaction is older than the
-- oldest one still running (`pg_snapshot_xmin(pg_current_snapshot())`): every
-- such transaction has ended, so no row below that horizon can appear later.
--
-- Rows written before this migration keep a NULL `xact` and are not part of
-- the stream (readers start at the horizon of their first read). Adding the
-- column without a default and setting the default afterwards rewrites no
-- existing partition.
ALTER TABLE consultations ADD COLUMN xact xid8;
ALTER TABLE consultations ALTER COLUMN xact SET DEFAULT pg_current_xact_id();
CREATE INDEX consultations_stream ON consultations (xact, id) WHERE xact IS NOT NULL;

-- Where each named reader is: it has handled every consultation up to
-- (xact, id) in that order. Moved in the same transaction as the reader's own
-- writes, so a crash between the two loses or repeats nothing.
CREATE TABLE consultation_stream_positions (
    consumer   text PRIMARY KEY CHECK (consumer ~ '^[a-z][a-z0-9_-]{0,62}$'),
    xact       xid8 NOT NULL,
    id         bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
