-- Rows of one dimension, and the days' totals, in the brand's own zone.
--
-- A question of one dimension or none in the brand's zone (every card of a
-- Paris brand's dashboard) read a pair holding that dimension, summed over
-- the other: exact, but four to eight times the rows it needs. UTC has its
-- daily rows (`stats_daily`, written by the consumer) for such questions;
-- the brand's zone now has the same rows among its derived ones: in
-- `stats_pairs`, `dimensions` names the one dimension (`country`,
-- `language`, `product`, `verdict`) with the value in `first` and an empty
-- `second`, or `all` with both empty, by day, week and month, derived and
-- kept current for late consultations exactly as the pairs are. They are
-- not derived in UTC, whose daily rows answer.
--
-- A zone whose offset is not a whole number of hours at some time of the
-- year (India, Lord Howe) is no longer derived at all: its days start inside
-- an hourly row, so its questions read the hourly rows, and the rows
-- derived for it were never read.
ALTER TABLE stats_pairs DROP CONSTRAINT stats_pairs_dimensions_check;
ALTER TABLE stats_pairs ADD CONSTRAINT stats_pairs_dimensions_check CHECK (
    dimensions IN ('country,language', 'country,product', 'country,verdict', 'language,product', 'language,verdict', 'product,verdict')
    OR (zone <> 'UTC' AND dimensions IN ('all', 'country', 'language', 'product', 'verdict')
        AND second = '' AND (dimensions <> 'all' OR first = '')));

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

-- As in migration 0037, with the one-dimension rows and totals in zones other than UTC.
CREATE OR REPLACE FUNCTION signet_stats_derive_pairs(brand bigint, zone_name text, since timestamptz, until timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
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

-- Rows derived already: a zone no longer derived is forgotten, and the
-- others get their one-dimension rows and totals from the pairs that hold
-- them (summing a pair over its other dimension is exact, sketches too),
-- for every period, so nothing needs deriving again.
SELECT signet_stats_forget_zones(id) FROM brands;
INSERT INTO stats_pairs (brand_id, zone, dimensions, period, first, second, start, consultations, seals)
SELECT p.brand_id, p.zone, o.dimensions, p.period, o.first, '', p.start, sum(p.consultations), bit_or(p.seals)
FROM stats_pairs p
CROSS JOIN LATERAL (VALUES ('language,verdict', 'all', ''), ('country,language', 'country', p.first),
                           ('language,verdict', 'language', p.first), ('language,product', 'product', p.second),
                           ('language,verdict', 'verdict', p.second)) AS o (pair, dimensions, first)
WHERE p.zone <> 'UTC' AND p.dimensions = o.pair
GROUP BY p.brand_id, p.zone, o.dimensions, p.period, o.first, p.start;
