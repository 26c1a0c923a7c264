-- Rows of one dimension, and totals, by UTC hour and in the brand's zone.
--
-- Questions of one dimension or none read rows holding every dimension, or
-- two, when their period was not whole UTC days:
-- - in the brand's zone (every card of a Paris brand's dashboard), a pair
--   holding that dimension, summed over the other: exact, but four to eight
--   times the rows needed. That zone now has rows of one dimension among its
--   derived ones, as UTC has its daily rows (`stats_daily`, written by the
--   consumer): in `stats_pairs`, `dimensions` names the one dimension
--   (`country`, `language`, `product`, `verdict`) with the value in `first`
--   and an empty `second`, or `all` with both empty, by day, week and month,
--   derived and kept current for late consultations as the pairs are;
-- - for the hours outside a period's whole days (the API's default, the 30
--   days before now), for hour buckets, and in a zone nothing is derived
--   in, the hourly rows of every dimension: about 800 an hour at 10 million
--   scans a year. Each closed UTC hour is now derived, in UTC only (an hour
--   is the same hour in every zone), into rows of one dimension and a total
--   (`period` = 'hour'), about 50 an hour.
--
-- A zone whose offset is not a whole number of hours at some time of the
-- year (India, Lord Howe) is no longer derived at all: its days start inside
-- an hourly row, so its questions read rows by hour, and the rows derived
-- for it were never read.
ALTER TABLE stats_pairs DROP CONSTRAINT stats_pairs_period_check;
ALTER TABLE stats_pairs ADD CONSTRAINT stats_pairs_period_check CHECK (period IN ('hour', 'day', 'week', 'month'));
-- Pairs by day, week and month in every zone; one dimension and totals by
-- hour in UTC, by day, week and month in other zones.
ALTER TABLE stats_pairs DROP CONSTRAINT stats_pairs_dimensions_check;
ALTER TABLE stats_pairs ADD CONSTRAINT stats_pairs_dimensions_check CHECK (
    (period <> 'hour'
     AND dimensions IN ('country,language', 'country,product', 'country,verdict', 'language,product', 'language,verdict', 'product,verdict'))
    OR ((zone = 'UTC') = (period = 'hour')
        AND dimensions IN ('all', 'country', 'language', 'product', 'verdict') AND second = '' AND (dimensions <> 'all' OR first = '')));

-- The zones a brand's pairs are derived in: UTC, and the zone it reports in
-- when the zone's offset is whole hours all year.
CREATE OR REPLACE FUNCTION signet_stats_zones(brand bigint) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
    SELECT 'UTC'
    UNION
    SELECT b.statistics_time_zone FROM brands b
    WHERE b.id = brand AND NOT EXISTS (
        SELECT FROM generate_series(now() - interval '1 year', now() + interval '1 year', interval '1 week') AS t (instant)
        WHERE extract(epoch FROM t.instant AT TIME ZONE b.statistics_time_zone - t.instant AT TIME ZONE 'UTC')::bigint % 3600 <> 0)
$$;

-- As in migration 0037, with the rows of one dimension and totals: by hour in UTC, by day in other zones.
CREATE OR REPLACE FUNCTION signet_stats_derive_pairs(brand bigint, zone_name text, since timestamptz, until timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF zone_name = 'UTC' THEN
        DELETE FROM stats_pairs
        WHERE brand_id = brand AND zone = 'UTC' AND period = 'hour' AND start >= since AND start < until;
        INSERT INTO stats_pairs (brand_id, zone, dimensions, period, first, second, start, consultations, seals)
        SELECT brand, 'UTC', p.dimensions, 'hour', p.first, '', s.hour, sum(s.consultations), bit_or(s.seals)
        FROM stats_hourly s
        CROSS JOIN LATERAL (VALUES ('all', ''), ('country', s.country), ('language', s.language),
                                   ('product', s.product_id::text), ('verdict', s.verdict)) AS p (dimensions, first)
        WHERE s.brand_id = brand AND s.hour >= since AND s.hour < until
        GROUP BY 3, 5, 7;
    END IF;

    DELETE FROM stats_pairs
    WHERE brand_id = brand AND zone = zone_name AND period = 'day' AND start > since - interval '1 hour' AND start < until
      AND signet_hour_ceiling(start) >= since AND signet_hour_ceiling(start) < until;
    INSERT INTO stats_pairs (brand_id, zone, dimensions, period, first, second, start, consultations, seals)
    SELECT brand, zone_name, p.dimensions, 'day', p.first, p.second, date_trunc('day', s.hour, zone_name),
           sum(s.consultations), bit_or(s.seals)
    FROM stats_hourly s
    CROSS JOIN LATERAL (VALUES ('country,language', s.country, s.language),
                               ('country,product', s.country, s.product_id::text),
                               ('country,verdict', s.country, s.verdict),
                               ('language,product', s.language, s.product_id::text),
                               ('language,verdict', s.language, s.verdict),
                               ('product,verdict', s.product_id::text, s.verdict),
                               ('all', '', ''),
                               ('country', s.country, ''),
                               ('language', s.language, ''),
                               ('product', s.product_id::text, ''),
                               ('verdict', s.verdict, '')) AS p (dimensions, first, second)
    WHERE s.brand_id = brand AND s.hour >= since AND s.hour < until
      AND (zone_name <> 'UTC' OR strpos(p.dimensions, ',') > 0)
    GROUP BY 3, 5, 6, 7
    ON CONFLICT (brand_id, zone, dimensions, period, start, first, second) DO UPDATE
    SET consultations = stats_pairs.consultations + excluded.consultations,
        seals = stats_pairs.seals | excluded.seals;

    DELETE FROM stats_pairs
    WHERE brand_id = brand AND zone = zone_name AND period IN ('week', 'month')
      AND signet_period_end(period, start, zone_name) > since AND signet_period_end(period, start, zone_name) <= until;
    INSERT INTO stats_pairs (brand_id, zone, dimensions, period, first, second, start, consultations, seals)
    SELECT brand, zone_name, d.dimensions, v.period, d.first, d.second, v.start, sum(d.consultations), bit_or(d.seals)
    FROM stats_pairs d
    CROSS JOIN LATERAL (VALUES ('week', date_trunc('week', d.start, zone_name)),
                               ('month', date_trunc('month', d.start, zone_name))) AS v (period, start)
    WHERE d.brand_id = brand AND d.zone = zone_name AND d.period = 'day' AND d.start >= since - interval '32 days' AND d.start < until
      AND signet_period_end(v.period, v.start, zone_name) > since AND signet_period_end(v.period, v.start, zone_name) <= until
    GROUP BY 3, 4, 5, 6, 7;

    INSERT INTO stats_pair_progress (brand_id, zone, derived_until) VALUES (brand, zone_name, until)
    ON CONFLICT (brand_id, zone) DO UPDATE SET derived_until = greatest(stats_pair_progress.derived_until, excluded.derived_until);
END
$$;

-- Rows derived already: a zone no longer derived is forgotten; the others
-- get their rows of one dimension and totals from the pairs that hold them
-- (summing a pair over its other dimension is exact, sketches too), for
-- every period; the hours derived already get theirs from their hourly
-- rows. Nothing needs deriving again.
SELECT signet_stats_forget_zones(id) FROM brands;
INSERT INTO stats_pairs (brand_id, zone, dimensions, period, first, second, start, consultations, seals)
SELECT p.brand_id, p.zone, o.dimensions, p.period, o.first, '', p.start, sum(p.consultations), bit_or(p.seals)
FROM stats_pairs p
CROSS JOIN LATERAL (VALUES ('language,verdict', 'all', ''), ('country,language', 'country', p.first),
                           ('language,verdict', 'language', p.first), ('language,product', 'product', p.second),
                           ('language,verdict', 'verdict', p.second)) AS o (pair, dimensions, first)
WHERE p.zone <> 'UTC' AND p.dimensions = o.pair
GROUP BY p.brand_id, p.zone, o.dimensions, p.period, o.first, p.start;

INSERT INTO stats_pairs (brand_id, zone, dimensions, period, first, second, start, consultations, seals)
SELECT s.brand_id, 'UTC', p.dimensions, 'hour', p.first, '', s.hour, sum(s.consultations), bit_or(s.seals)
FROM stats_hourly s
JOIN stats_pair_progress g ON g.brand_id = s.brand_id AND g.zone = 'UTC' AND s.hour < g.derived_until
CROSS JOIN LATERAL (VALUES ('all', ''), ('country', s.country), ('language', s.language),
                           ('product', s.product_id::text), ('verdict', s.verdict)) AS p (dimensions, first)
GROUP BY s.brand_id, p.dimensions, p.first, s.hour;
