-- Leases: a replica takes a slice of a key's or team's allowance in one round trip and admits locally against it
-- (docs/limits.md, "Several replicas"). No new table: a slice is recorded where 100's exact admission records its
-- reservations, so both paths are checked against one sum and the database keeps, at every moment,
--   window requests/tokens used + leased ≤ rpm/tpm        (limit_counters.requests/tokens include leased units)
--   Σ live replicas' in_flight (slots in use + leased) ≤ max_parallel
--   spent + Σ live replicas' reserved (worst cases in flight + leased budget) ≤ budget
-- A replica's leased slots and budget live in a limit_holds row of their own (replica id + '#lease'), next to the row
-- of its exactly admitted requests; they stop counting with its heartbeat (as 100's holds do). Window slices lapse
-- with the window.

-- Grants this replica a slice of one subject's remaining allowance: remaining / (p_divisor × live replicas) per limited
-- dimension. When a slice would be smaller than one request's need (p_tokens, p_cost) the subject is at its tail:
-- nothing is granted (tail = true) and the caller admits that request exactly (sb_limit_admit) instead, so the last
-- units are never parked in one replica's lease.
CREATE FUNCTION sb_limit_lease_one(p_scope TEXT, p_subject TEXT, p_replica TEXT, p_now_ms BIGINT, p_stale_ms BIGINT, p_divisor INTEGER,
    p_rpm INTEGER, p_tpm BIGINT, p_parallel INTEGER, p_budget BIGINT, p_period_id BIGINT, p_period_start_ms BIGINT,
    p_tokens BIGINT, p_cost BIGINT, p_reset BOOLEAN,
    OUT o_tail BOOLEAN, OUT o_window_start_ms BIGINT, OUT o_requests INTEGER, OUT o_tokens BIGINT, OUT o_in_flight INTEGER,
    OUT o_spent BIGINT, OUT o_reserved BIGINT,
    OUT g_requests INTEGER, OUT g_tokens BIGINT, OUT g_parallel INTEGER, OUT g_cost BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    c RECORD;
    share BIGINT;
BEGIN
    -- Locks the row, rolls the window and the budget period, sums the live holds (100's function; its refusal is unused).
    SELECT * INTO c FROM sb_limit_check(p_scope, p_subject, p_now_ms, p_rpm, p_tpm, p_parallel, p_budget, p_period_id,
        p_period_start_ms, 0, 0, p_stale_ms);
    SELECT p_divisor * (1 + COUNT(DISTINCT split_part(h.replica, '#', 1))) INTO share FROM limit_holds h
    WHERE h.scope = p_scope AND h.subject = p_subject AND split_part(h.replica, '#', 1) <> split_part(p_replica, '#', 1)
        AND h.heartbeat_ms >= p_now_ms - p_stale_ms;
    g_requests := CASE WHEN p_rpm IS NULL THEN 0 ELSE GREATEST(0, p_rpm - c.requests) / share END;
    g_tokens := CASE WHEN p_tpm IS NULL THEN 0 ELSE GREATEST(0, p_tpm - c.tokens) / share END;
    g_parallel := CASE WHEN p_parallel IS NULL THEN 0 ELSE GREATEST(0, p_parallel - c.in_flight) / share END;
    g_cost := CASE WHEN p_budget IS NULL THEN 0 ELSE GREATEST(0, p_budget - c.spent - c.reserved) / share END;
    o_tail := (p_rpm IS NOT NULL AND g_requests < 1)
        OR (p_tpm IS NOT NULL AND g_tokens < LEAST(p_tokens, p_tpm))
        OR (p_parallel IS NOT NULL AND g_parallel < 1)
        OR (p_budget IS NOT NULL AND g_cost < p_cost);
    IF o_tail THEN
        g_requests := 0; g_tokens := 0; g_parallel := 0; g_cost := 0;
    ELSE
        UPDATE limit_counters SET requests = limit_counters.requests + g_requests, tokens = limit_counters.tokens + g_tokens
        WHERE limit_counters.scope = p_scope AND limit_counters.subject = p_subject;
    END IF;
    -- Even with nothing granted, the row marks this replica live for the subject (so slices are shared among all).
    -- p_reset: the replica forfeited its lease (its heartbeat went unconfirmed; the row may have expired and its
    -- capacity gone elsewhere), so the row restarts from this grant instead of reviving what it held.
    INSERT INTO limit_holds AS h (scope, subject, replica, in_flight, reserved_nano_usd, heartbeat_ms)
    VALUES (p_scope, p_subject, p_replica, g_parallel, g_cost, p_now_ms)
    ON CONFLICT (scope, subject, replica) DO UPDATE SET
        in_flight = CASE WHEN p_reset THEN 0 ELSE h.in_flight END + g_parallel,
        reserved_nano_usd = CASE WHEN p_reset THEN 0 ELSE h.reserved_nano_usd END + g_cost, heartbeat_ms = p_now_ms;
    o_window_start_ms := c.window_start_ms;
    o_requests := c.requests + g_requests; o_tokens := c.tokens + g_tokens; o_in_flight := c.in_flight + g_parallel;
    o_spent := c.spent; o_reserved := c.reserved + g_cost;
END $$;

-- Leases for a key and (optionally) its team in one round trip: the key's row is locked first, then the team's, as in
-- sb_limit_admit (no deadlocks). One row per subject asked for, 'key' first.
CREATE FUNCTION sb_limit_lease(p_replica TEXT, p_now_ms BIGINT, p_stale_ms BIGINT, p_divisor INTEGER, p_tokens BIGINT, p_cost BIGINT,
    k_reset BOOLEAN, t_reset BOOLEAN, k_subject TEXT, k_rpm INTEGER, k_tpm BIGINT, k_parallel INTEGER, k_budget BIGINT, k_period_id BIGINT, k_period_start_ms BIGINT,
    t_subject TEXT, t_rpm INTEGER, t_tpm BIGINT, t_parallel INTEGER, t_budget BIGINT, t_period_id BIGINT, t_period_start_ms BIGINT)
RETURNS TABLE (o_scope TEXT, o_tail BOOLEAN, o_window_start_ms BIGINT, o_requests INTEGER, o_tokens BIGINT, o_in_flight INTEGER,
    o_spent BIGINT, o_reserved BIGINT, g_requests INTEGER, g_tokens BIGINT, g_parallel INTEGER, g_cost BIGINT)
LANGUAGE plpgsql AS $$
BEGIN
    IF k_subject IS NOT NULL THEN
        RETURN QUERY SELECT 'key'::TEXT, l.* FROM sb_limit_lease_one('key', k_subject, p_replica, p_now_ms, p_stale_ms, p_divisor,
            k_rpm, k_tpm, k_parallel, k_budget, k_period_id, k_period_start_ms, p_tokens, p_cost, k_reset) l;
    END IF;
    IF t_subject IS NOT NULL THEN
        RETURN QUERY SELECT 'team'::TEXT, l.* FROM sb_limit_lease_one('team', t_subject, p_replica, p_now_ms, p_stale_ms, p_divisor,
            t_rpm, t_tpm, t_parallel, t_budget, t_period_id, t_period_start_ms, p_tokens, p_cost, t_reset) l;
    END IF;
END $$;

-- Gives back what a replica leased and did not use: window units only while that window is still current (after it,
-- they lapsed anyway), parallel slots and budget at once.
CREATE FUNCTION sb_limit_lease_return(p_scope TEXT, p_subject TEXT, p_replica TEXT, p_now_ms BIGINT, p_window_start_ms BIGINT,
    p_requests INTEGER, p_tokens BIGINT, p_parallel INTEGER, p_cost BIGINT)
RETURNS VOID LANGUAGE sql AS $$
    UPDATE limit_counters SET requests = GREATEST(0, requests - p_requests), tokens = GREATEST(0, tokens - p_tokens)
    WHERE scope = p_scope AND subject = p_subject AND window_start_ms = p_window_start_ms AND p_now_ms < window_start_ms + 60000;
    UPDATE limit_holds SET in_flight = GREATEST(0, in_flight - p_parallel),
        reserved_nano_usd = GREATEST(0, reserved_nano_usd - p_cost)
    WHERE scope = p_scope AND subject = p_subject AND replica = p_replica;
$$;

-- Settles a leased request (batched): its actual cost is added to the period's spend and p_release (the part of this
-- replica's leased budget it used up, normally the same amount) taken off the replica's hold, so spent + reserved is
-- unchanged unless a request cost more than its worst case; tokens used beyond what the lease covered count in the
-- current window.
CREATE FUNCTION sb_limit_lease_settle(p_scope TEXT, p_subject TEXT, p_replica TEXT, p_now_ms BIGINT, p_extra_tokens BIGINT,
    p_cost BIGINT, p_release BIGINT, p_period_id BIGINT)
RETURNS VOID LANGUAGE sql AS $$
    UPDATE limit_counters SET
        tokens = CASE WHEN p_now_ms >= window_start_ms + 60000 THEN p_extra_tokens ELSE tokens + p_extra_tokens END,
        requests = CASE WHEN p_now_ms >= window_start_ms + 60000 THEN 0 ELSE requests END,
        window_start_ms = CASE WHEN p_now_ms >= window_start_ms + 60000 THEN p_now_ms ELSE window_start_ms END,
        spent_nano_usd = CASE
            WHEN period_id = p_period_id THEN spent_nano_usd + p_cost
            WHEN period_id < p_period_id THEN p_cost
            ELSE spent_nano_usd END,
        period_id = CASE WHEN period_id IS NULL THEN NULL ELSE GREATEST(period_id, p_period_id) END
    WHERE scope = p_scope AND subject = p_subject;
    UPDATE limit_holds SET reserved_nano_usd = GREATEST(0, reserved_nano_usd - p_release)
    WHERE scope = p_scope AND subject = p_subject AND replica = p_replica AND p_release > 0;
$$;
