-- Rows of one dimension, and totals, by UTC hour.
--
-- A period cut inside its first and last days (the API's default, the 30
-- days before now) read the hours before and after its whole days from
-- `stats_hourly`, whose rows hold every dimension at once: about 800 rows
-- an hour at 10 million scans a year, up to two days of them, 100 ms and
-- more, for a question that needs one dimension. Questions bucketed by hour
-- read nothing else. Each closed UTC hour is now derived, in the UTC zone
-- only (an hour is the same hour in every zone), into rows of one dimension
-- and a total (`period` = 'hour'), about 50 an hour; the consumer adds late
-- consultations to them as to the other derived rows.
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

-- As in migration 0038, with the hours' rows of one dimension and totals in UTC.
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

-- The hours derived already: one pass over their hourly rows.
INSERT INTO stats_pairs (brand_id, zone, dimensions, period, first, second, start, consultations, seals)
SELECT s.brand_id, 'UTC', p.dimensions, 'hour', p.first, '', s.hour, sum(s.consultations), bit_or(s.seals)
FROM stats_hourly s
JOIN stats_pair_progress g ON g.brand_id = s.brand_id AND g.zone = 'UTC' AND s.hour < g.derived_until
CROSS JOIN LATERAL (VALUES ('all', ''), ('country', s.country), ('language', s.language),
                           ('product', s.product_id::text), ('verdict', s.verdict)) AS p (dimensions, first)
GROUP BY s.brand_id, p.dimensions, p.first, s.hour;
