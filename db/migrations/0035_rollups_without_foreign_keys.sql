-- The rollups are derived from `consultations`, which has no foreign keys
-- (nothing slows the scan's insert), and are rebuilt from them. Their own
-- key on `brands` checked and share-locked the brand's row once per rollup
-- row the statistics consumer wrote: some 700 checks, and as many WAL
-- records for the locks, per batch, for a guarantee the source already
-- gives. Brands are never deleted.
ALTER TABLE stats_hourly DROP CONSTRAINT stats_hourly_brand_id_fkey;
ALTER TABLE stats_daily DROP CONSTRAINT stats_daily_brand_id_fkey;
