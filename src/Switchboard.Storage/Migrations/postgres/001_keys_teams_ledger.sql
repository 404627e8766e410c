-- Storage schema v1: teams, virtual keys (hashed), the change sequence replicas poll, and the usage ledger.
-- Times are unix milliseconds (BIGINT) and money is nano-USD (BIGINT) on both backends, so sums are exact and
-- SQLite and PostgreSQL behave the same.

CREATE TABLE teams (
    name             TEXT PRIMARY KEY,
    rpm              INTEGER,
    tpm              INTEGER,
    max_parallel     INTEGER,
    budget_nano_usd  BIGINT,
    budget_period    TEXT,
    source           TEXT NOT NULL,            -- 'config' | 'api'
    created_at_ms    BIGINT NOT NULL,
    updated_at_ms    BIGINT NOT NULL
);

CREATE TABLE virtual_keys (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    secret_hash      TEXT NOT NULL UNIQUE,     -- lowercase hex SHA-256 of the secret; the secret itself is never stored
    secret_prefix    TEXT NOT NULL,            -- e.g. 'sk-sb-abcd' (display only)
    team             TEXT,
    models           TEXT,                     -- newline-separated model names; NULL = every model
    rpm              INTEGER,
    tpm              INTEGER,
    max_parallel     INTEGER,
    budget_nano_usd  BIGINT,
    budget_period    TEXT,
    expires_at_ms    BIGINT,
    revoked_at_ms    BIGINT,
    source           TEXT NOT NULL,            -- 'config' | 'api' | 'cli'
    created_at_ms    BIGINT NOT NULL,
    updated_at_ms    BIGINT NOT NULL
);
CREATE INDEX ix_virtual_keys_name ON virtual_keys (name);

-- Bumped in the same transaction as every key or team change; replicas poll it to refresh their key cache.
CREATE TABLE change_sequence (
    id   INTEGER PRIMARY KEY,
    seq  BIGINT NOT NULL
);
INSERT INTO change_sequence (id, seq) VALUES (1, 0);

CREATE TABLE usage_ledger (
    request_id         TEXT PRIMARY KEY,       -- idempotent inserts: a batch retried after an outage adds nothing twice
    ts_ms              BIGINT NOT NULL,
    key_id             TEXT,
    key_name           TEXT,
    team               TEXT,
    endpoint           TEXT NOT NULL,
    model              TEXT NOT NULL,
    provider           TEXT,
    upstream_model     TEXT,
    status             INTEGER NOT NULL,
    error_code         TEXT,
    stream             INTEGER NOT NULL,
    prompt_tokens      BIGINT NOT NULL,
    completion_tokens  BIGINT NOT NULL,
    cached_tokens      BIGINT NOT NULL,
    reasoning_tokens   BIGINT NOT NULL,
    usage_reported     INTEGER NOT NULL,
    usage_estimated    INTEGER NOT NULL,
    cost_nano_usd      BIGINT,                 -- NULL = unpriced (never silently 0)
    attempts           INTEGER NOT NULL,
    attempt_log        TEXT,
    latency_ms         DOUBLE PRECISION NOT NULL,
    ttft_ms            DOUBLE PRECISION
);
CREATE INDEX ix_usage_ledger_ts ON usage_ledger (ts_ms);
CREATE INDEX ix_usage_ledger_key_ts ON usage_ledger (key_id, ts_ms);
CREATE INDEX ix_usage_ledger_team_ts ON usage_ledger (team, ts_ms);
