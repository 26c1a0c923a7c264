-- A scan statement carries the moment its request stops waiting for it.
-- When PostgreSQL stalls (paused, swapping, a lock), a statement sent before
-- the stall can start after the visitor was already told "try again"; it then
-- stops here, before its commit, and writes nothing. (statement_timeout
-- cannot do this: it counts from the statement's start.) The error is a
-- query_canceled, which the server reads as "database unavailable".
CREATE FUNCTION signet_in_time(deadline timestamptz) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF clock_timestamp() > deadline THEN
        RAISE EXCEPTION 'the request stopped waiting at %', deadline USING ERRCODE = 'query_canceled';
    END IF;
    RETURN true;
END
$$;
