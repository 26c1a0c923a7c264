-- The statistics consumer now builds each batch's rollup rows and sketches
-- in the server (StatisticsRollupBatch) and upserts them: PostgreSQL no
-- longer builds a 2 KiB sketch per consultation and OR-s it into every row
-- the consultation counts in. Rebuilds keep `stats_source`, `signet_hll_of`
-- and `signet_stats_rebuild`. An instance of the previous version still
-- running during an upgrade fails its statistics batches from here on and
-- leaves them to the upgraded instances: the position does not move, so
-- nothing is lost or counted twice.
DROP FUNCTION signet_stats_add(bigint[], timestamptz);

-- New hourly sketches are compressed with LZ4 rather than pglz: a batch's
-- hourly rows (about one per consultation) are inserted three times faster,
-- and long questions decompress the rows they merge faster too. Values
-- already stored keep pglz; both are read alike. A server built without LZ4
-- support keeps pglz.
DO $$
BEGIN
    ALTER TABLE stats_hourly ALTER COLUMN seals SET COMPRESSION lz4, ALTER COLUMN visitors SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'PostgreSQL was built without LZ4: hourly sketches stay compressed with pglz';
END
$$;
