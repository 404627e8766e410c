-- Storage schema v2 (SQLite only): budgets read a spend roll-up instead of the ledger, so the ledger drops its
-- per-key and per-team indexes. Each of those cost every ledger row one more B-tree insert; the roll-up costs a batch
-- one upsert per key or team and UTC day (SqliteSpendRollup). PostgreSQL keeps its indexes: its shared limit
-- counters (sb_limit_check) sum the ledger inside the admitting transaction.

CREATE TABLE usage_spend (
    scope          TEXT NOT NULL,              -- 'key' | 'team'
    id             TEXT NOT NULL,              -- the key's id or the team's name
    day            BIGINT NOT NULL,            -- whole UTC days since the Unix epoch (ts_ms / 86400000)
    cost_nano_usd  BIGINT NOT NULL,            -- priced rows only, as SUM(cost_nano_usd) over the ledger
    PRIMARY KEY (scope, id, day)
) WITHOUT ROWID;

-- The spend of rows written before this migration.
INSERT INTO usage_spend (scope, id, day, cost_nano_usd)
SELECT 'key', key_id, ts_ms / 86400000, SUM(cost_nano_usd) FROM usage_ledger
WHERE key_id IS NOT NULL AND cost_nano_usd IS NOT NULL AND cost_nano_usd <> 0
GROUP BY key_id, ts_ms / 86400000;

INSERT INTO usage_spend (scope, id, day, cost_nano_usd)
SELECT 'team', team, ts_ms / 86400000, SUM(cost_nano_usd) FROM usage_ledger
WHERE team IS NOT NULL AND cost_nano_usd IS NOT NULL AND cost_nano_usd <> 0
GROUP BY team, ts_ms / 86400000;

DROP INDEX ix_usage_ledger_key_ts;
DROP INDEX ix_usage_ledger_team_ts;
