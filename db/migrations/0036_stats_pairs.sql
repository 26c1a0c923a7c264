-- Rollups by pairs of dimensions, per UTC day, ISO week and month, derived
-- from the hourly rows as hours close.
--
-- A question that needs two dimensions (grouped by or filtered on: one
-- country's counterfeits by day, verdicts by product, a dashboard filtered
-- on a country with its bars by language) read the hourly rows, about one
-- per consultation, and a year of them took seconds to minutes. By day and
-- pair of dimensions the rows are few (one per pair of values seen), and
-- by week and by month fewer still.
--
-- Writing them with each batch of the stream would rewrite hundreds of
-- 2 KiB rows per batch, so they are derived from the hourly rows once an
-- hour has closed (StatisticsPairDerivation): the hour is added to its
-- day's rows, and the weeks and months that closed with it are derived from
-- the day rows. `stats_pair_progress` holds, per brand, the first hour not
-- derived yet; a question reads the pair rows before it and the hourly rows
-- from it on (the day rows of the day under way hold its derived hours).
-- A consultation counted after its hour was derived (a stream running
-- late) is added to its day's, and derived week's and month's, pair rows
-- by the consumer itself, so the pair rows always hold exactly the hourly
-- rows of their period. Derivations and consumer batches both hold the
-- consumer's position row, so neither sees the other half done.
--
-- Product types are read from the products, as elsewhere, so four stored
-- dimensions make six pairs; `first` and `second` hold the values in the
-- order the pair's name gives, products by id. Only distinct seals are
-- sketched: nothing reads distinct visitors by pairs.
CREATE TABLE stats_pairs (
    brand_id      bigint NOT NULL,
    dimensions    text NOT NULL CHECK (dimensions IN ('country,language', 'country,product', 'country,verdict',
                                                      'language,product', 'language,verdict', 'product,verdict')),
    period        text NOT NULL CHECK (period IN ('day', 'week', 'month')),
    first         text NOT NULL,
    second        text NOT NULL,
    start         timestamptz NOT NULL CHECK (start = date_trunc(period, start, 'UTC')),
    consultations bigint NOT NULL CHECK (consultations > 0),
    seals         bit(16384) NOT NULL,
    PRIMARY KEY (brand_id, dimensions, period, start, first, second)
);
-- A period's rows by time, for questions grouped by the pair; by value, for
-- questions filtered on one (one country's counterfeits).
CREATE INDEX stats_pairs_by_value ON stats_pairs (brand_id, dimensions, period, first, second, start);

-- Sketches stay in the row, compressed when they compress (a day of a few
-- seals) and plain when they do not (a month of many): a year's question
-- reads pages, not TOAST entries.
ALTER TABLE stats_pairs ALTER COLUMN seals SET STORAGE MAIN;
DO $$
BEGIN
    ALTER TABLE stats_pairs ALTER COLUMN seals SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'PostgreSQL was built without LZ4: pair sketches are compressed with pglz';
END
$$;

CREATE TABLE stats_pair_progress (
    brand_id      bigint PRIMARY KEY,
    derived_until timestamptz NOT NULL CHECK (derived_until = date_trunc('hour', derived_until, 'UTC'))
);

-- The end of a UTC day, ISO week or month (timestamptz + interval would
-- count months in the session's time zone).
CREATE FUNCTION signet_period_end(period text, start timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (start AT TIME ZONE 'UTC' + CASE period WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '1 week'
                                                   ELSE interval '1 month' END) AT TIME ZONE 'UTC'
$$;

-- Derives the brand's pair rows from its hourly rows: the hours in
-- [since, until) (UTC hours; since may be -infinity) are added to their
-- days' rows (the rows of days that start in that range are replaced),
-- then the weeks and months that end in (since, until] are derived from the
-- day rows, replacing any earlier rows of theirs. The brand's progress
-- moves to `until`. The caller holds the statistics consumer's position row.
CREATE FUNCTION signet_stats_derive_pairs(brand bigint, since timestamptz, until timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM stats_pairs WHERE brand_id = brand AND period = 'day' AND start >= since AND start < until;
    INSERT INTO stats_pairs (brand_id, dimensions, period, first, second, start, consultations, seals)
    SELECT brand, p.dimensions, 'day', p.first, p.second, date_trunc('day', s.hour, 'UTC'), sum(s.consultations), bit_or(s.seals)
    FROM stats_hourly s
    CROSS JOIN LATERAL (VALUES ('country,language', s.country, s.language),
                               ('country,product', s.country, s.product_id::text),
                               ('country,verdict', s.country, s.verdict),
                               ('language,product', s.language, s.product_id::text),
                               ('language,verdict', s.language, s.verdict),
                               ('product,verdict', s.product_id::text, s.verdict)) AS p (dimensions, first, second)
    WHERE s.brand_id = brand AND s.hour >= since AND s.hour < until
    GROUP BY 2, 4, 5, 6
    ON CONFLICT (brand_id, dimensions, period, start, first, second) DO UPDATE
    SET consultations = stats_pairs.consultations + excluded.consultations,
        seals = stats_pairs.seals | excluded.seals;

    DELETE FROM stats_pairs
    WHERE brand_id = brand AND period IN ('week', 'month')
      AND signet_period_end(period, start) > since AND signet_period_end(period, start) <= until;
    INSERT INTO stats_pairs (brand_id, dimensions, period, first, second, start, consultations, seals)
    SELECT brand, d.dimensions, v.period, d.first, d.second, v.start, sum(d.consultations), bit_or(d.seals)
    FROM stats_pairs d
    CROSS JOIN LATERAL (VALUES ('week', date_trunc('week', d.start, 'UTC')),
                               ('month', date_trunc('month', d.start, 'UTC'))) AS v (period, start)
    WHERE d.brand_id = brand AND d.period = 'day' AND d.start >= since - interval '31 days' AND d.start < until
      AND signet_period_end(v.period, v.start) > since AND signet_period_end(v.period, v.start) <= until
    GROUP BY 2, 3, 4, 5, 6;

    INSERT INTO stats_pair_progress (brand_id, derived_until) VALUES (brand, until)
    ON CONFLICT (brand_id) DO UPDATE SET derived_until = greatest(stats_pair_progress.derived_until, excluded.derived_until);
END
$$;

-- Derives the brand's hours from its first one not derived up to the end
-- of the next day with scans, or to `until` (a UTC hour) if that comes
-- first, and tells whether there were scans; when there are none before
-- `until`, the brand's progress moves to it, closing the weeks and months
-- that ended. A history is thus derived a day at a time, the day under way
-- an hour at a time.
CREATE FUNCTION signet_stats_derive_next(brand bigint, until timestamptz) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    derived timestamptz := coalesce((SELECT derived_until FROM stats_pair_progress WHERE brand_id = brand), '-infinity');
    next_hour timestamptz;  -- the first hour with scans not derived yet
BEGIN
    IF derived >= until THEN
        RETURN false;
    END IF;
    SELECT min(hour) INTO next_hour FROM stats_hourly WHERE brand_id = brand AND hour >= derived;
    IF next_hour IS NULL OR next_hour >= until THEN
        PERFORM signet_stats_derive_pairs(brand, derived, until);
        RETURN false;
    END IF;
    PERFORM signet_stats_derive_pairs(brand, derived, least(until, signet_period_end('day', date_trunc('day', next_hour, 'UTC'))));
    RETURN true;
END
$$;

-- Rebuilds also derive the brand's pairs, for every closed hour: from the
-- rebuilt day on, or from the first hour not derived yet if that is earlier.
CREATE OR REPLACE FUNCTION signet_stats_rebuild(brand bigint, since timestamptz, upto_xact xid8, upto_id bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    start timestamptz := date_trunc('day', since, 'UTC');
    this_hour timestamptz := date_trunc('hour', now(), 'UTC');
    added bigint;
    rebuilt bigint;
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
        PERFORM signet_stats_derive_pairs(
            rebuilt,
            least(start, coalesce((SELECT derived_until FROM stats_pair_progress WHERE brand_id = rebuilt), '-infinity')),
            greatest(this_hour, coalesce((SELECT derived_until FROM stats_pair_progress WHERE brand_id = rebuilt), this_hour)));
    END LOOP;
    RETURN added;
END
$$;
