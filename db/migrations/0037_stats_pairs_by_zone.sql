-- Pair rollups in the brand's own time zone as well as UTC.
--
-- Day, week and month rows were derived for UTC's days only, so a question
-- bucketed in any other zone (a French brand's days start at 22:00 or 23:00
-- UTC) read the hourly rows: seconds to tens of seconds for a year. A brand
-- now names the time zone it reports in (`brands.statistics_time_zone`,
-- UTC until set); its hours are derived into day, week and month rows of
-- that zone too, and the zone's questions read them as UTC's do. Questions
-- of one dimension or none in that zone read a pair that holds it (every
-- consultation has one value per dimension, so summing a pair over its
-- other dimension is that dimension's rollup, sketches included).
--
-- `zone` is part of every key; the UTC rows of migration 0036 stay as they
-- are. Rows and progress of a zone the brand no longer reports in are
-- deleted when the zone changes (`signet_stats_forget_zones`), so a brand
-- never pays for more than two zones.
ALTER TABLE brands ADD COLUMN statistics_time_zone text NOT NULL DEFAULT 'UTC';

ALTER TABLE stats_pairs ADD COLUMN zone text NOT NULL DEFAULT 'UTC';
ALTER TABLE stats_pairs ALTER COLUMN zone DROP DEFAULT;
ALTER TABLE stats_pairs DROP CONSTRAINT stats_pairs_check;
ALTER TABLE stats_pairs ADD CONSTRAINT stats_pairs_start_check CHECK (start = date_trunc(period, start, zone));
ALTER TABLE stats_pairs DROP CONSTRAINT stats_pairs_pkey;
ALTER TABLE stats_pairs ADD PRIMARY KEY (brand_id, zone, dimensions, period, start, first, second);
DROP INDEX stats_pairs_by_value;
CREATE INDEX stats_pairs_by_value ON stats_pairs (brand_id, zone, dimensions, period, first, second, start);

ALTER TABLE stats_pair_progress ADD COLUMN zone text NOT NULL DEFAULT 'UTC';
ALTER TABLE stats_pair_progress ALTER COLUMN zone DROP DEFAULT;
ALTER TABLE stats_pair_progress DROP CONSTRAINT stats_pair_progress_pkey;
ALTER TABLE stats_pair_progress ADD PRIMARY KEY (brand_id, zone);

-- The end of a day, ISO week or month of the zone that starts at `start`.
DROP FUNCTION signet_period_end(text, timestamptz);
CREATE FUNCTION signet_period_end(period text, start timestamptz, zone text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (start AT TIME ZONE zone + CASE period WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '1 week'
                                                  ELSE interval '1 month' END) AT TIME ZONE zone
$$;

-- The first UTC hour from `instant` on: where a derivation may stop, since
-- the hourly rows cannot be cut (a day of India starts at half past).
CREATE FUNCTION signet_hour_ceiling(instant timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN date_trunc('hour', instant, 'UTC') = instant THEN instant
                ELSE date_trunc('hour', instant, 'UTC') + interval '1 hour' END
$$;

-- As in migration 0036, for one of the brand's zones: an hour belongs to
-- the zone's day its start falls in, so a day's first hour is the first to
-- start in it, and the days whose first hour is in [since, until) are
-- replaced.
DROP FUNCTION signet_stats_derive_pairs(bigint, timestamptz, timestamptz);
CREATE FUNCTION signet_stats_derive_pairs(brand bigint, zone_name text, since timestamptz, until timestamptz) RETURNS void
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
                               ('product,verdict', s.product_id::text, s.verdict)) AS p (dimensions, first, second)
    WHERE s.brand_id = brand AND s.hour >= since AND s.hour < until
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

-- As in migration 0036, for one of the brand's zones.
DROP FUNCTION signet_stats_derive_next(bigint, timestamptz);
CREATE FUNCTION signet_stats_derive_next(brand bigint, zone_name text, until timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    derived timestamptz := coalesce(
        (SELECT derived_until FROM stats_pair_progress WHERE brand_id = brand AND zone = zone_name), '-infinity');
    next_hour timestamptz;  -- the first hour with scans not derived yet
BEGIN
    IF derived >= until THEN
        RETURN false;
    END IF;
    SELECT min(hour) INTO next_hour FROM stats_hourly WHERE brand_id = brand AND hour >= derived;
    IF next_hour IS NULL OR next_hour >= until THEN
        PERFORM signet_stats_derive_pairs(brand, zone_name, derived, until);
        RETURN false;
    END IF;
    PERFORM signet_stats_derive_pairs(brand, zone_name, derived, least(until, signet_hour_ceiling(
        signet_period_end('day', date_trunc('day', next_hour, zone_name), zone_name))));
    RETURN true;
END
$$;

-- The zones a brand's pairs are derived in: UTC, and the zone it reports in.
CREATE FUNCTION signet_stats_zones(brand bigint) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
    SELECT 'UTC' UNION SELECT statistics_time_zone FROM brands WHERE id = brand
$$;

-- Deletes the brand's pair rows and progress of zones it no longer reports in.
CREATE FUNCTION signet_stats_forget_zones(brand bigint) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM stats_pairs WHERE brand_id = brand AND zone NOT IN (SELECT signet_stats_zones(brand));
    DELETE FROM stats_pair_progress WHERE brand_id = brand AND zone NOT IN (SELECT signet_stats_zones(brand));
$$;

-- As in migration 0036, in each of the brand's zones.
CREATE OR REPLACE FUNCTION signet_stats_rebuild(brand bigint, since timestamptz, upto_xact xid8, upto_id bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    start timestamptz := date_trunc('day', since, 'UTC');
    this_hour timestamptz := date_trunc('hour', now(), 'UTC');
    added bigint;
    rebuilt bigint;
    zone_name text;
    progress timestamptz;
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
    FOR rebuilt IN SELECT DISTINCT brand_id FROM stats_hourly WHERE brand IS NULL UNION SELECT brand WHERE brand IS NOT NULL LOOP
        PERFORM signet_stats_forget_zones(rebuilt);
        FOR zone_name IN SELECT signet_stats_zones(rebuilt) LOOP
            progress := (SELECT derived_until FROM stats_pair_progress WHERE brand_id = rebuilt AND zone = zone_name);
            -- From the first hour of the zone's day holding the rebuilt start, so that whole days are derived again.
            PERFORM signet_stats_derive_pairs(
                rebuilt, zone_name,
                least(signet_hour_ceiling(date_trunc('day', start, zone_name)), coalesce(progress, '-infinity')),
                greatest(this_hour, coalesce(progress, this_hour)));
        END LOOP;
    END LOOP;
    RETURN added;
END
$$;
