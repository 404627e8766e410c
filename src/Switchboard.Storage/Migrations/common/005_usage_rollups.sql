-- Storage schema v5: the hourly and daily usage roll-ups the console and /admin/usage read instead of the ledger (UsageQueries).
-- One row per UTC hour × key id × team × model × provider (each cut to 128 characters, RollupKey.cs: a B-tree entry
-- must stay small, and a client may send any model name); '' stands for an absent key id, team or provider (primary
-- key columns cannot be NULL on PostgreSQL) and is read back as NULL. The ledger writer adds each batch's new rows in
-- the same transaction as the rows themselves (SqliteUsageRollup, PostgresLedgerInsert), so a batch retried after an
-- outage adds nothing twice. One file for both backends (PostgreSQL has no 003: its numbers skip SQLite's spend roll-up).

CREATE TABLE usage_hourly (
    hour                  BIGINT NOT NULL,       -- whole UTC hours since the Unix epoch (ts_ms / 3600000)
    key_id                TEXT NOT NULL,         -- '' = no key
    team                  TEXT NOT NULL,         -- '' = no team
    model                 TEXT NOT NULL,
    provider              TEXT NOT NULL,         -- '' = no provider (refused before routing)
    key_name              TEXT,                  -- MAX(key_name) of the rows, as the ledger's GROUP BY key reports it
    requests              BIGINT NOT NULL,
    failed                BIGINT NOT NULL,       -- status >= 400
    prompt_tokens         BIGINT NOT NULL,
    completion_tokens     BIGINT NOT NULL,
    cached_tokens         BIGINT NOT NULL,
    reasoning_tokens      BIGINT NOT NULL,
    cost_nano_usd         BIGINT NOT NULL,       -- priced rows only
    unpriced              BIGINT NOT NULL,       -- rows with no cost (NULL in the ledger)
    estimated             BIGINT NOT NULL,       -- usage_estimated = 1
    latency_ms_sum        DOUBLE PRECISION NOT NULL,
    ttft_ms_sum           DOUBLE PRECISION NOT NULL,
    ttft_count            BIGINT NOT NULL,       -- rows with a time to first token
    PRIMARY KEY (hour, key_id, team, model, provider)
);
-- A key's hours, for its usage and for finding its recent requests without a per-key ledger index (UsageQueries.Recent).
CREATE INDEX ix_usage_hourly_key ON usage_hourly (key_id, hour);

-- The rows written before this migration.
INSERT INTO usage_hourly (hour, key_id, team, model, provider, key_name, requests, failed, prompt_tokens, completion_tokens,
    cached_tokens, reasoning_tokens, cost_nano_usd, unpriced, estimated, latency_ms_sum, ttft_ms_sum, ttft_count)
SELECT ts_ms / 3600000, SUBSTR(COALESCE(key_id, ''), 1, 128), SUBSTR(COALESCE(team, ''), 1, 128), SUBSTR(model, 1, 128),
       SUBSTR(COALESCE(provider, ''), 1, 128), MAX(key_name), COUNT(*),
    SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens),
    SUM(reasoning_tokens), COALESCE(SUM(cost_nano_usd), 0), SUM(CASE WHEN cost_nano_usd IS NULL THEN 1 ELSE 0 END),
    SUM(usage_estimated), SUM(latency_ms), COALESCE(SUM(ttft_ms), 0), COUNT(ttft_ms)
FROM usage_ledger
GROUP BY ts_ms / 3600000, SUBSTR(COALESCE(key_id, ''), 1, 128), SUBSTR(COALESCE(team, ''), 1, 128), SUBSTR(model, 1, 128),
         SUBSTR(COALESCE(provider, ''), 1, 128);

-- The same sums per UTC day, so a month is read from 30 rows per group instead of 720 (whole days of a range come
-- from here, whole hours at its ends from usage_hourly, partial hours from the ledger).
CREATE TABLE usage_daily (
    day                   BIGINT NOT NULL,       -- whole UTC days since the Unix epoch (ts_ms / 86400000)
    key_id                TEXT NOT NULL,
    team                  TEXT NOT NULL,
    model                 TEXT NOT NULL,
    provider              TEXT NOT NULL,
    key_name              TEXT,
    requests              BIGINT NOT NULL,
    failed                BIGINT NOT NULL,
    prompt_tokens         BIGINT NOT NULL,
    completion_tokens     BIGINT NOT NULL,
    cached_tokens         BIGINT NOT NULL,
    reasoning_tokens      BIGINT NOT NULL,
    cost_nano_usd         BIGINT NOT NULL,
    unpriced              BIGINT NOT NULL,
    estimated             BIGINT NOT NULL,
    latency_ms_sum        DOUBLE PRECISION NOT NULL,
    ttft_ms_sum           DOUBLE PRECISION NOT NULL,
    ttft_count            BIGINT NOT NULL,
    PRIMARY KEY (day, key_id, team, model, provider)
);

INSERT INTO usage_daily (day, key_id, team, model, provider, key_name, requests, failed, prompt_tokens, completion_tokens,
    cached_tokens, reasoning_tokens, cost_nano_usd, unpriced, estimated, latency_ms_sum, ttft_ms_sum, ttft_count)
SELECT hour / 24, key_id, team, model, provider, MAX(key_name), SUM(requests), SUM(failed), SUM(prompt_tokens),
    SUM(completion_tokens), SUM(cached_tokens), SUM(reasoning_tokens), SUM(cost_nano_usd), SUM(unpriced), SUM(estimated),
    SUM(latency_ms_sum), SUM(ttft_ms_sum), SUM(ttft_count)
FROM usage_hourly
GROUP BY hour / 24, key_id, team, model, provider;
