-- Rate limit counts shared by every instance (RateLimitExchange): requests
-- let through per limit, client key and clock-aligned window. Each instance
-- adds its new counts every half second and reads the totals back; the
-- request itself never waits on this table. Keys are keyed hashes, never
-- client addresses. Unlogged: a crash forgets the current minute's counts,
-- which is cheaper than a WAL record per exchange.
CREATE UNLOGGED TABLE rate_limit_hits (
    scope      text NOT NULL,
    key_hash   text NOT NULL,
    window_end timestamptz NOT NULL,
    hits       bigint NOT NULL CHECK (hits > 0),
    PRIMARY KEY (scope, key_hash, window_end)
);
