-- Shared rate-limit and budget counters, so every gateway process on this database agrees (docs/limits.md).
-- Only PostgreSQL has them: with SQLite there is one process and its counters live in memory.
-- Times are unix ms, money nano-USD, as in 001.

-- One row per key ('key', key id) or team ('team', name): the current one-minute window and the budget period's spend.
CREATE TABLE limit_counters (
    scope            TEXT NOT NULL,
    subject          TEXT NOT NULL,
    window_start_ms  BIGINT NOT NULL DEFAULT -60000,
    requests         INTEGER NOT NULL DEFAULT 0,
    tokens           BIGINT NOT NULL DEFAULT 0,
    period_id        BIGINT,                    -- NULL until the spend was first read from the ledger
    spent_nano_usd   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, subject)
);

-- What each replica has in flight per subject (requests and worst-case cost reserved). A replica refreshes its
-- heartbeat while it holds anything; the holds of a replica that died stop counting after the stale interval.
CREATE TABLE limit_holds (
    scope              TEXT NOT NULL,
    subject            TEXT NOT NULL,
    replica            TEXT NOT NULL,
    in_flight          INTEGER NOT NULL DEFAULT 0,
    reserved_nano_usd  BIGINT NOT NULL DEFAULT 0,
    heartbeat_ms       BIGINT NOT NULL,
    PRIMARY KEY (scope, subject, replica)
);

-- Locks one subject's row (serialising admissions of that key or team across replicas), rolls its window and budget
-- period forward, and says whether a request of p_tokens tokens and p_cost nano-USD fits. Reserves nothing.
CREATE FUNCTION sb_limit_check(p_scope TEXT, p_subject TEXT, p_now_ms BIGINT, p_rpm INTEGER, p_tpm BIGINT, p_parallel INTEGER,
    p_budget BIGINT, p_period_id BIGINT, p_period_start_ms BIGINT, p_tokens BIGINT, p_cost BIGINT, p_stale_ms BIGINT,
    OUT refusal INTEGER, OUT requests INTEGER, OUT tokens BIGINT, OUT window_start_ms BIGINT, OUT in_flight INTEGER,
    OUT spent BIGINT, OUT reserved BIGINT, OUT reserve_tokens BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    c limit_counters;
BEGIN
    INSERT INTO limit_counters (scope, subject) VALUES (p_scope, p_subject) ON CONFLICT DO NOTHING;
    SELECT * INTO c FROM limit_counters WHERE limit_counters.scope = p_scope AND limit_counters.subject = p_subject FOR UPDATE;
    IF p_now_ms >= c.window_start_ms + 60000 THEN
        c.window_start_ms := p_now_ms; c.requests := 0; c.tokens := 0;
    END IF;
    IF c.period_id IS NULL THEN
        -- First sight of this subject: its spend so far this period is what the ledger recorded.
        c.period_id := p_period_id;
        c.spent_nano_usd := COALESCE((SELECT SUM(l.cost_nano_usd) FROM usage_ledger l WHERE l.ts_ms >= p_period_start_ms
            AND ((p_scope = 'key' AND l.key_id = p_subject) OR (p_scope = 'team' AND l.team = p_subject))), 0);
    ELSIF c.period_id < p_period_id THEN
        c.period_id := p_period_id; c.spent_nano_usd := 0;
    END IF;
    UPDATE limit_counters SET window_start_ms = c.window_start_ms, requests = c.requests, tokens = c.tokens,
        period_id = c.period_id, spent_nano_usd = c.spent_nano_usd
    WHERE limit_counters.scope = p_scope AND limit_counters.subject = p_subject;

    SELECT COALESCE(SUM(h.in_flight), 0), COALESCE(SUM(h.reserved_nano_usd), 0) INTO in_flight, reserved
    FROM limit_holds h WHERE h.scope = p_scope AND h.subject = p_subject AND h.heartbeat_ms >= p_now_ms - p_stale_ms;
    -- A request larger than the whole minute's allowance may still run alone in an empty window.
    reserve_tokens := CASE WHEN p_tpm IS NULL THEN p_tokens ELSE LEAST(p_tokens, p_tpm) END;
    refusal := CASE
        WHEN p_rpm IS NOT NULL AND c.requests + 1 > p_rpm THEN 1
        WHEN p_tpm IS NOT NULL AND c.tokens + reserve_tokens > p_tpm THEN 2
        WHEN p_parallel IS NOT NULL AND in_flight + 1 > p_parallel THEN 3
        WHEN p_budget IS NOT NULL AND c.spent_nano_usd + reserved + p_cost > p_budget THEN 4
        ELSE 0 END;
    requests := c.requests; tokens := c.tokens; window_start_ms := c.window_start_ms; spent := c.spent_nano_usd;
END $$;

-- Reserves a checked request: a request slot and its tokens in the window, a parallel slot and its cost in this replica's hold.
CREATE FUNCTION sb_limit_apply(p_scope TEXT, p_subject TEXT, p_replica TEXT, p_now_ms BIGINT, p_tokens BIGINT, p_cost BIGINT)
RETURNS VOID LANGUAGE sql AS $$
    UPDATE limit_counters SET requests = requests + 1, tokens = tokens + p_tokens WHERE scope = p_scope AND subject = p_subject;
    INSERT INTO limit_holds (scope, subject, replica, in_flight, reserved_nano_usd, heartbeat_ms)
    VALUES (p_scope, p_subject, p_replica, 1, p_cost, p_now_ms)
    ON CONFLICT (scope, subject, replica) DO UPDATE SET in_flight = limit_holds.in_flight + 1,
        reserved_nano_usd = limit_holds.reserved_nano_usd + p_cost, heartbeat_ms = p_now_ms;
$$;

-- Admission for a key and (optionally) its team in one round trip, all or nothing: the key's row is locked first, then
-- the team's (always in that order, so concurrent admissions cannot deadlock). Refusal codes: 0 admitted, 1 requests,
-- 2 tokens, 3 parallel, 4 budget.
CREATE FUNCTION sb_limit_admit(p_replica TEXT, p_now_ms BIGINT, p_tokens BIGINT, p_cost BIGINT, p_stale_ms BIGINT,
    k_subject TEXT, k_rpm INTEGER, k_tpm BIGINT, k_parallel INTEGER, k_budget BIGINT, k_period_id BIGINT, k_period_start_ms BIGINT,
    t_subject TEXT, t_rpm INTEGER, t_tpm BIGINT, t_parallel INTEGER, t_budget BIGINT, t_period_id BIGINT, t_period_start_ms BIGINT)
RETURNS TABLE (k_refusal INTEGER, k_requests INTEGER, k_tokens BIGINT, k_window_start_ms BIGINT, k_in_flight INTEGER,
    k_spent BIGINT, k_reserved BIGINT, k_reserve_tokens BIGINT,
    t_refusal INTEGER, t_requests INTEGER, t_tokens BIGINT, t_window_start_ms BIGINT, t_in_flight INTEGER,
    t_spent BIGINT, t_reserved BIGINT, t_reserve_tokens BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    k RECORD;
    t RECORD;
    k_ok BOOLEAN := TRUE;
    t_ok BOOLEAN := TRUE;
BEGIN
    IF k_subject IS NOT NULL THEN
        SELECT * INTO k FROM sb_limit_check('key', k_subject, p_now_ms, k_rpm, k_tpm, k_parallel, k_budget, k_period_id, k_period_start_ms, p_tokens, p_cost, p_stale_ms);
        k_ok := k.refusal = 0;
    END IF;
    IF k_ok AND t_subject IS NOT NULL THEN
        SELECT * INTO t FROM sb_limit_check('team', t_subject, p_now_ms, t_rpm, t_tpm, t_parallel, t_budget, t_period_id, t_period_start_ms, p_tokens, p_cost, p_stale_ms);
        t_ok := t.refusal = 0;
    END IF;
    IF k_ok AND t_ok THEN
        IF k_subject IS NOT NULL THEN PERFORM sb_limit_apply('key', k_subject, p_replica, p_now_ms, k.reserve_tokens, p_cost); END IF;
        IF t_subject IS NOT NULL THEN PERFORM sb_limit_apply('team', t_subject, p_replica, p_now_ms, t.reserve_tokens, p_cost); END IF;
    END IF;
    IF k_subject IS NOT NULL THEN
        k_refusal := k.refusal; k_requests := k.requests + (CASE WHEN k_ok AND t_ok THEN 1 ELSE 0 END);
        k_tokens := k.tokens + (CASE WHEN k_ok AND t_ok THEN k.reserve_tokens ELSE 0 END);
        k_window_start_ms := k.window_start_ms; k_in_flight := k.in_flight + (CASE WHEN k_ok AND t_ok THEN 1 ELSE 0 END);
        k_spent := k.spent; k_reserved := k.reserved; k_reserve_tokens := k.reserve_tokens;
    END IF;
    IF t_subject IS NOT NULL AND k_ok THEN
        t_refusal := t.refusal; t_requests := t.requests + (CASE WHEN t_ok THEN 1 ELSE 0 END);
        t_tokens := t.tokens + (CASE WHEN t_ok THEN t.reserve_tokens ELSE 0 END);
        t_window_start_ms := t.window_start_ms; t_in_flight := t.in_flight + (CASE WHEN t_ok THEN 1 ELSE 0 END);
        t_spent := t.spent; t_reserved := t.reserved; t_reserve_tokens := t.reserve_tokens;
    END IF;
    RETURN NEXT;
END $$;

-- Replaces one subject's reservation with what the request used and cost, and releases its parallel slot.
CREATE FUNCTION sb_limit_settle(p_scope TEXT, p_subject TEXT, p_replica TEXT, p_now_ms BIGINT, p_window_start_ms BIGINT,
    p_reserved_tokens BIGINT, p_actual_tokens BIGINT, p_reserved_cost BIGINT, p_actual_cost BIGINT, p_period_id BIGINT)
RETURNS VOID LANGUAGE sql AS $$
    UPDATE limit_counters SET
        tokens = CASE
            WHEN p_now_ms >= window_start_ms + 60000 THEN p_actual_tokens
            WHEN window_start_ms = p_window_start_ms THEN GREATEST(0, tokens + p_actual_tokens - p_reserved_tokens)
            ELSE tokens + p_actual_tokens END,
        requests = CASE WHEN p_now_ms >= window_start_ms + 60000 THEN 0 ELSE requests END,
        window_start_ms = CASE WHEN p_now_ms >= window_start_ms + 60000 THEN p_now_ms ELSE window_start_ms END,
        spent_nano_usd = CASE
            WHEN period_id = p_period_id THEN spent_nano_usd + p_actual_cost
            WHEN period_id < p_period_id THEN p_actual_cost
            ELSE spent_nano_usd END,
        period_id = CASE WHEN period_id IS NULL THEN NULL ELSE GREATEST(period_id, p_period_id) END
    WHERE scope = p_scope AND subject = p_subject;
    UPDATE limit_holds SET in_flight = GREATEST(0, in_flight - 1),
        reserved_nano_usd = GREATEST(0, reserved_nano_usd - p_reserved_cost), heartbeat_ms = p_now_ms
    WHERE scope = p_scope AND subject = p_subject AND replica = p_replica;
$$;
