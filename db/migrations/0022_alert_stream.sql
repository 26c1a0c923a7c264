-- The portal's live alert feed reads alerts as a stream, the way consumers
-- read consultations (0011): alerts are inserted by different transactions
-- (the alerts consumer's batch, a consumer report) that can commit out of id
-- order, so "every id above the last one sent" could skip an alert for good.
-- Each alert records the transaction that wrote it, and the feed only reads
-- alerts whose transaction is older than the oldest one still running
-- (`pg_snapshot_xmin(pg_current_snapshot())`), in (xact, id) order.
--
-- Alerts written before this migration read as transaction 0: they come
-- first, in id order. A constant default is stored once in the catalogue, so
-- adding the column rewrites no row; the default for new rows is set after.
ALTER TABLE alerts ADD COLUMN xact xid8 NOT NULL DEFAULT '0';
ALTER TABLE alerts ALTER COLUMN xact SET DEFAULT pg_current_xact_id();
-- The feed service's look at every brand's new alerts, and each open feed's read of its brand's.
CREATE INDEX alerts_stream ON alerts (xact, id);
CREATE INDEX alerts_brand_stream ON alerts (brand_id, xact, id);
