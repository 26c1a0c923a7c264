-- Statistics: hourly rollups of the brand's consultations, kept current by
-- the `statistics` consumer of the consultation stream (StatisticsRecorder),
-- exactly once, in the same transaction as its stream position. The scan
-- statement never touches them. `consultations` stays the source of truth:
-- `signet stats rebuild` recomputes a brand's rollups from it.
--
-- Distinct seals and visitors are HyperLogLog sketches that survive summing
-- hours into days, weeks or months. Each sketch has 1,024 registers (the low
-- 10 bits of a 64-bit hash choose one) of 16 bits each, stored as a
-- `bit(16384)`. A register does not keep HyperLogLog's usual maximum rank
-- but one bit per rank seen (rank r sets the register's bit r - 1; ranks
-- above 16 set bit 15): the register's highest set bit is the maximum rank,
-- and the union of two sketches is their bitwise OR. PostgreSQL merges any
-- number of them with its built-in `bit_or` aggregate, in C, with no
-- extension and no per-byte loop in plpgsql; the server reads the merged
-- bits and estimates (HyperLogLog in SignetCore). Standard error
-- 1.04/sqrt(1024) ≈ 3.3 %; below a few hundred distinct values the
-- estimate is linear counting and close to exact. The 16-bit cap makes the
-- estimate saturate near 1024 × 2^16 ≈ 67 million distinct values in one
-- answer.

-- The sketch of one 64-bit hash: register `h & 1023`, rank = trailing zeros
-- of the remaining bits + 1. Must match HyperLogLog.insert in SignetCore (a
-- test compares them).
CREATE FUNCTION signet_hll_of(h bigint) RETURNS bit(16384)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT set_bit(B'0'::bit(16384),
                   ((h & 1023) * 16 + least(bit_count((((h >> 10) & -(h >> 10)) - 1)::bit(64)), 15))::int, 1)
$$;

CREATE FUNCTION signet_hll_empty() RETURNS bit(16384)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT B'0'::bit(16384) $$;

-- One row per brand, UTC hour, product, country, served language and
-- verdict. The product type is not part of the key: it is read from the
-- product when asked, so a product moved to another type moves its history
-- too, and live rollups and rebuilds agree.
CREATE TABLE stats_hourly (
    brand_id      bigint NOT NULL REFERENCES brands (id),
    hour          timestamptz NOT NULL,
    product_id    bigint NOT NULL,
    country       text NOT NULL,
    language      text NOT NULL,
    verdict       text NOT NULL,
    consultations bigint NOT NULL CHECK (consultations > 0),
    seals         bit(16384) NOT NULL,
    visitors      bit(16384) NOT NULL,
    PRIMARY KEY (brand_id, hour, product_id, country, language, verdict)
);

-- Each consultation as the rollups see it: one place for the mapping, used
-- by the stream's consumer and by rebuilds. Consultations without a brand
-- (unknown GTINs) belong to no one's statistics. The seal hash is
-- PostgreSQL's portable `hashint8extended` (the one hash partitioning relies
-- on); the visitor fingerprint is already an HMAC, so its first 8 bytes are
-- the hash.
CREATE VIEW stats_source AS
SELECT c.id, c.xact, c.scanned_at, c.brand_id,
       date_trunc('hour', c.scanned_at, 'UTC') AS hour,
       c.product_id, c.country, c.served_language::text AS language, c.verdict,
       coalesce(signet_hll_of(hashint8extended(c.seal_id, 0)), signet_hll_empty()) AS seal_sketch,
       coalesce(signet_hll_of(('x' || encode(substring(c.visitor FROM 1 FOR 8), 'hex'))::bit(64)::bigint),
                signet_hll_empty()) AS visitor_sketch
FROM consultations c
WHERE c.brand_id IS NOT NULL AND c.product_id IS NOT NULL;

-- Adds the consultations with these ids (scanned at or after `since`, for
-- partition pruning) to the rollups. Called by the stream consumer with each
-- batch, inside the batch's transaction.
CREATE FUNCTION signet_stats_add(ids bigint[], since timestamptz) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO stats_hourly AS s (brand_id, hour, product_id, country, language, verdict, consultations, seals, visitors)
    SELECT brand_id, hour, product_id, country, language, verdict, count(*), bit_or(seal_sketch), bit_or(visitor_sketch)
    FROM stats_source
    WHERE id = ANY (ids) AND scanned_at >= since
    GROUP BY brand_id, hour, product_id, country, language, verdict
    ON CONFLICT (brand_id, hour, product_id, country, language, verdict) DO UPDATE
    SET consultations = s.consultations + excluded.consultations,
        seals = s.seals | excluded.seals,
        visitors = s.visitors | excluded.visitors
$$;

-- Recomputes one brand's rollups (or every brand's, with NULL) from the hour
-- holding `since` on, from the consultations the `statistics` consumer has
-- already handled: up to its position `(upto_xact, upto_id)`, and every row
-- older than the stream (NULL `xact`). Later rows are the consumer's to add.
-- The caller holds the position's row lock, so the consumer waits meanwhile.
CREATE FUNCTION signet_stats_rebuild(brand bigint, since timestamptz, upto_xact xid8, upto_id bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    start timestamptz := date_trunc('hour', since, 'UTC');
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
    RETURN added;
END
$$;

-- The consumer starts at the current horizon, and every consultation below
-- it is counted now, in this transaction: the statistics are whole from the
-- first start of a server with this migration. (On a large table this
-- migration takes as long as a rebuild of every brand.)
INSERT INTO consultation_stream_positions (consumer, xact, id)
VALUES ('statistics', pg_snapshot_xmin(pg_current_snapshot()), 0);
SELECT signet_stats_rebuild(NULL, '-infinity', pg_snapshot_xmin(pg_current_snapshot()), 0);
