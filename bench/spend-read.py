#!/usr/bin/env python3
"""How long a restarted gateway's first budget read takes on a large SQLite ledger, before and after migration 002.

    python3 bench/spend-read.py [ROWS]   (default 1,000,000; needs ~400 MB in /tmp and about a minute)

Builds a ledger with schema v1 (4 keys, one team, 30 days of rows), times the month-to-date spend of one key and of
the team as LedgerSpendSource summed it before (through the key_id/team + ts_ms indexes), applies migration 002 (spend
roll-up, indexes dropped) and times the same reads from the roll-up, plus the admin log's newest-first page (the ts_ms
index, kept) and a key-filtered total without a time range (now a ledger scan). Best of 5, each on a fresh connection
with the gateway's 32 MB page cache. Python's sqlite3 runs the same SQL as the gateway; the .NET overhead is constant.
Results: docs/storage.md.
"""
import os, random, sqlite3, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIGRATIONS = os.path.join(ROOT, "src/Switchboard.Storage/Migrations/sqlite")
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
PATH = "/tmp/sb-spend-read.db"
MONTH = 1772323200000  # 2026-03-01T00:00Z in Unix ms
DAY_MS = 86_400_000

def migration(name):
    with open(os.path.join(MIGRATIONS, name)) as f:
        return f.read()

def best_of(sql, args, n=5):
    best, result = float("inf"), None
    for _ in range(n):
        c = sqlite3.connect(PATH)
        c.execute("PRAGMA cache_size=-32000")
        t = time.perf_counter()
        result = c.execute(sql, args).fetchall()
        best = min(best, time.perf_counter() - t)
        c.close()
    return best * 1000, result

for suffix in ("", "-wal", "-shm"):
    if os.path.exists(PATH + suffix): os.remove(PATH + suffix)
db = sqlite3.connect(PATH)
db.executescript(migration("001_keys_teams_ledger.sql"))
step = 30 * DAY_MS // ROWS
db.executemany("INSERT INTO usage_ledger VALUES (" + ",".join("?" * 23) + ")", (
    ("req_%012x%020x" % (MONTH + i * step, random.getrandbits(80)), MONTH + i * step, "key_%d" % (i % 4), "k", "ops",
     "chat.completions", "gpt-4o", "openai", "gpt-4o-2024", 200, None, 0, 100, 20, 0, 0, 1, 0, 450_000, 1, "openai:200",
     12.5, None) for i in range(ROWS)))
db.commit()
db.close()
print(f"ledger: {ROWS:,} rows, 4 keys, one team, 30 days")
ms, r = best_of("SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_ledger WHERE key_id = ? AND ts_ms >= ?", ("key_1", MONTH))
print(f"before 002: a key's month to date through its index   {ms:9.3f} ms  ({r[0][0]} nano-USD)")
ms, r = best_of("SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_ledger WHERE team = ? AND ts_ms >= ?", ("ops", MONTH))
print(f"before 002: the team's month to date through its index {ms:9.3f} ms  ({r[0][0]} nano-USD)")
db = sqlite3.connect(PATH)
t = time.perf_counter()
db.executescript(migration("002_spend_rollup.sql"))
db.commit()
db.close()
print(f"migration 002 (backfill, drop the indexes)             {(time.perf_counter() - t) * 1000:9.0f} ms")
ms, r = best_of("SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_spend WHERE scope = 'key' AND id = ? AND day >= ?", ("key_1", MONTH // DAY_MS))
print(f"after 002: a key's month to date from the roll-up      {ms:9.3f} ms  ({r[0][0]} nano-USD)")
ms, r = best_of("SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_spend WHERE scope = 'team' AND id = ? AND day >= ?", ("ops", MONTH // DAY_MS))
print(f"after 002: the team's month to date from the roll-up   {ms:9.3f} ms  ({r[0][0]} nano-USD)")
ms, _ = best_of("SELECT * FROM usage_ledger ORDER BY ts_ms DESC, request_id DESC LIMIT 100", ())
print(f"after 002: admin log, newest 100 (ts_ms index)         {ms:9.3f} ms")
ms, _ = best_of("SELECT COUNT(*), SUM(cost_nano_usd) FROM usage_ledger WHERE key_id = ?", ("key_1",))
print(f"after 002: a key's total, no time range (ledger scan)  {ms:9.3f} ms")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(PATH + suffix): os.remove(PATH + suffix)
