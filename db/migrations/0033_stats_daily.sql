-- Daily rollups by one dimension at a time, for long questions.
--
-- The hourly rollups are keyed by every dimension at once, so a year of
-- them is nearly as long as the consultations (10M consultations made 6.9M
-- hourly rows) and a one-year answer must read and merge millions of
-- sketches. Most questions name at most one dimension (the dashboard's bars
-- and map, a series by verdict, one country's counterfeits): for them, one
-- row per brand, UTC day and value of that dimension is enough, a few dozen
-- rows a day. `dimension` is 'all' (the day's total, `value` ''), 'country',
-- 'language', 'verdict' or 'product' (`value` the product's id; product
-- types are read from the products, as for the hourly rows).
--
-- Kept by the same consumer, in the same statement as the hourly rows, so
-- the two always hold the same consultations; a day's row is exactly what
-- its hours' rows merge to (sums and sketches alike), which the tests check.
-- The sketches are stored uncompressed and inline (STORAGE PLAIN): a row is
-- about 4 KiB, one to a page, and merging a year of them reads pages
-- instead of detoasting values.
CREATE TABLE stats_daily (
    brand_id      bigint NOT NULL REFERENCES brands (id),
    dimension     text NOT NULL CHECK (dimension IN ('all', 'country', 'language', 'verdict', 'product')),
    value         text NOT NULL,
    day           timestamptz NOT NULL CHECK (day = date_trunc('day', day, 'UTC')),
    consultations bigint NOT NULL CHECK (consultations > 0),
    seals         bit(16384) NOT NULL,
    visitors      bit(16384) NOT NULL,
    PRIMARY KEY (brand_id, dimension, value, day)
);
ALTER TABLE stats_daily ALTER COLUMN seals SET STORAGE PLAIN, ALTER COLUMN visitors SET STORAGE PLAIN;

-- The daily rows of some hourly rows: each hourly row counts once under
-- 'all' and once under each of its four dimensions.
CREATE FUNCTION signet_stats_daily_of(brand bigint, since timestamptz)
RETURNS TABLE (brand_id bigint, dimension text, value text, day timestamptz, consultations bigint, seals bit(16384), visitors bit(16384))
LANGUAGE sql STABLE AS $$
    SELECT s.brand_id, d.dimension, d.value, date_trunc('day', s.hour, 'UTC'), sum(s.consultations)::bigint,
           bit_or(s.seals), bit_or(s.visitors)
    FROM stats_hourly s
    CROSS JOIN LATERAL (VALUES ('all', ''), ('country', s.country), ('language', s.language), ('verdict', s.verdict),
                               ('product', s.product_id::text)) AS d (dimension, value)
    WHERE (brand IS NULL OR s.brand_id = brand) AND s.hour >= since
    GROUP BY 1, 2, 3, 4
$$;

-- The batch's consultations, sketched once, go to the hourly rows and to
-- the daily rows in one statement.
CREATE OR REPLACE FUNCTION signet_stats_add(ids bigint[], since timestamptz) RETURNS void
LANGUAGE sql AS $$
    WITH batch AS (
        SELECT * FROM stats_source WHERE id = ANY (ids) AND scanned_at >= since
    ), hourly AS (
        INSERT INTO stats_hourly AS s (brand_id, hour, product_id, country, language, verdict, consultations, seals, visitors)
        SELECT brand_id, hour, product_id, country, language, verdict, count(*), bit_or(seal_sketch), bit_or(visitor_sketch)
        FROM batch
        GROUP BY brand_id, hour, product_id, country, language, verdict
        ON CONFLICT (brand_id, hour, product_id, country, language, verdict) DO UPDATE
        SET consultations = s.consultations + excluded.consultations,
            seals = s.seals | excluded.seals,
            visitors = s.visitors | excluded.visitors
    )
    INSERT INTO stats_daily AS s (brand_id, dimension, value, day, consultations, seals, visitors)
    SELECT b.brand_id, d.dimension, d.value, date_trunc('day', b.scanned_at, 'UTC'), count(*),
           bit_or(b.seal_sketch), bit_or(b.visitor_sketch)
    FROM batch b
    CROSS JOIN LATERAL (VALUES ('all', ''), ('country', b.country), ('language', b.language), ('verdict', b.verdict),
                               ('product', b.product_id::text)) AS d (dimension, value)
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (brand_id, dimension, value, day) DO UPDATE
    SET consultations = s.consultations + excluded.consultations,
        seals = s.seals | excluded.seals,
        visitors = s.visitors | excluded.visitors
$$;

-- Rebuilds start at the UTC day holding `since` (the daily rows are whole
-- days) and derive the daily rows from the rebuilt hourly ones.
CREATE OR REPLACE FUNCTION signet_stats_rebuild(brand bigint, since timestamptz, upto_xact xid8, upto_id bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    start timestamptz := date_trunc('day', since, 'UTC');
    added bigint;
BEGIN
    DELETE FROM stats_hourly WHERE (brand IS NULL OR brand_id = brand) AND hour >= start;
    INSERT INTO stats_hourly (brand_id, hour, product_id, country, language, verdict, consultations, seals, visitors)
    SELECT brand_id, hour, product_id, country, language, verdict, count(*), bit_or(seal_sketch), bit_or(visitor_sketch)
    FROM stats_source
    WHERE (brand IS NULL OR brand_id = brand) AND scanned_at >= start
      AND (xact IS NULL OR (xact, id) <= (upto_xact, upto_id))
    GROUP BY brand_id, hour, product_id, country, language, verdict;
    GET DIAGNOSTICS added = ROW_COUNT;
    DELETE FROM stats_daily WHERE (brand IS NULL OR brand_id = brand) AND day >= start;
    INSERT INTO stats_daily SELECT * FROM signet_stats_daily_of(brand, start);
    RETURN added;
END
$$;

-- The daily rows of everything counted so far. The consumer's position row
-- is locked first, so no batch is added to the hourly rows meanwhile (an
-- instance still running the previous version calls the function replaced
-- above once this commits).
SELECT 1 FROM consultation_stream_positions WHERE consumer = 'statistics' FOR UPDATE;
INSERT INTO stats_daily SELECT * FROM signet_stats_daily_of(NULL, '-infinity');
