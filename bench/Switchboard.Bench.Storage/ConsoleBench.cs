using System.Diagnostics;
using System.Globalization;
using System.Text;
using Switchboard.Limits;
using Switchboard.Storage;
using Switchboard.Storage.Keys;
using Switchboard.Storage.Usage;
using Switchboard.Usage;

namespace Switchboard.Bench.Storage;

/// <summary>
/// The console's data on a big ledger (bench/console.sh): <see cref="SeedAsync"/> fills a SQLite database with 30 days
/// of traffic written through the real <see cref="LedgerRepository"/> (so the roll-ups are filled exactly as the
/// gateway's writer fills them), and <see cref="TimeQueriesAsync"/> times the <see cref="UsageQueries"/> calls the
/// console's pages make.
/// </summary>
internal static class ConsoleBench
{
    // 8 models over 3 providers, as a config routes them.
    private static readonly (string Model, string Provider, decimal InPerMTok, decimal OutPerMTok)[] Models =
    [
        ("gpt-4o", "openai", 2.5m, 10m), ("gpt-4o-mini", "openai", 0.15m, 0.6m), ("o3", "openai", 2m, 8m),
        ("claude-sonnet-4", "anthropic", 3m, 15m), ("claude-haiku-3.5", "anthropic", 0.8m, 4m), ("claude-opus-4", "anthropic", 15m, 75m),
        ("gemini-2.5-pro", "gemini", 1.25m, 10m), ("gemini-2.5-flash", "gemini", 0.3m, 2.5m),
    ];

    private static readonly string[] Teams = ["platform", "research", "support", "growth", "data"];

    /// <summary>
    /// 50 keys in 5 teams (key i's share of traffic ∝ 1/(i+1), each key using 2 or 3 models; the last key, "rare",
    /// has about 200 rows), <paramref name="rows"/> ledger rows over the 30 days before the current hour, 3 % errors.
    /// Prints <c>holder_key=SECRET</c> (the key holder the benchmark signs in as) and <c>rare_key_id=ID</c>.
    /// </summary>
    public static async Task SeedAsync(string path, int rows)
    {
        await using var db = SwitchboardDatabase.FromConfigValue(path);
        await db.MigrateAsync();
        var keys = new KeyRepository(db, TimeProvider.System);
        foreach (var team in Teams) await keys.PutTeamAsync(new TeamRecord { Name = team, Limits = new LimitSettings(Rpm: 600, BudgetUsd: 5000m, BudgetPeriod: BudgetPeriod.Monthly) });
        var random = new Random(22);
        var ids = new List<(string Id, string Name, string Team, int[] Models)>();
        string? holderSecret = null;
        for (var i = 0; i < 50; i++)
        {
            var name = i == 49 ? "rare" : $"svc-{i:D2}";
            var team = Teams[i % Teams.Length];
            var created = await keys.CreateAsync(new KeySpec { Name = name, Team = team, Limits = new LimitSettings(Rpm: 120, BudgetUsd: 500m, BudgetPeriod: BudgetPeriod.Monthly) }, RecordSource.Api);
            if (i == 0) holderSecret = created.Secret;
            var models = Enumerable.Range(0, 2 + random.Next(2)).Select(_ => random.Next(Models.Length)).Distinct().ToArray();
            ids.Add((created.Key.Id, name, team, models));
        }
        var weights = Enumerable.Range(0, 49).Select(i => 1.0 / (i + 1)).ToArray();
        var total = weights.Sum();
        var end = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000);
        var start = end.AddDays(-30);
        var stepMs = (end - start).TotalMilliseconds / rows;
        var repository = new LedgerRepository(db);
        var batch = new List<UsageRecord>(5_000);
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < rows; n++)
        {
            var at = start.AddMilliseconds(n * stepMs + random.NextDouble() * stepMs);
            var key = n % 5_000 == 4_999 ? ids[49] : ids[Pick(random, weights, total)]; // "rare": 1 row in 5,000
            var (model, provider, inPrice, outPrice) = Models[key.Models[random.Next(key.Models.Length)]];
            var failed = random.Next(100) < 3;
            var prompt = failed ? 0 : 200 + random.Next(4_000);
            var completion = failed ? 0 : 20 + random.Next(800);
            var cost = failed ? 0m : Math.Round((prompt * inPrice + completion * outPrice) / 1_000_000m, 9);
            batch.Add(new UsageRecord
            {
                RequestId = "req_" + at.ToUnixTimeMilliseconds().ToString("x12", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomBytes(random)),
                Timestamp = at, KeyId = key.Id, KeyName = key.Name, Team = key.Team, Endpoint = "chat.completions", Model = model,
                Provider = provider, UpstreamModel = model, Status = failed ? (random.Next(2) == 0 ? 429 : 502) : 200,
                ErrorCode = failed ? "upstream_error" : null, Stream = random.Next(3) == 0,
                Usage = new TokenUsage(prompt, completion, prompt + completion, random.Next(4) == 0 ? prompt / 2 : 0, 0), CostUsd = cost,
                Attempts = failed ? 2 : 1, AttemptLog = provider + ":" + (failed ? "502" : "200"), LatencyMs = 150 + random.Next(3_000),
                TimeToFirstTokenMs = random.Next(3) == 0 ? 80 + random.Next(600) : null,
            });
            if (batch.Count == batch.Capacity || n == rows - 1)
            {
                await repository.InsertAsync(batch);
                batch.Clear();
            }
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {rows} ledger rows in {clock.Elapsed.TotalSeconds:F1} s ({rows / clock.Elapsed.TotalSeconds:F0} rows/s)"));
        Console.WriteLine("holder_key=" + holderSecret);
        Console.WriteLine("rare_key_id=" + ids[49].Id);
        Console.WriteLine("busy_key_id=" + ids[0].Id);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[10];
        random.NextBytes(bytes);
        return bytes;
    }

    private static int Pick(Random random, double[] weights, double total)
    {
        var x = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x <= 0) return i;
        }
        return weights.Length - 1;
    }

    /// <summary>Times each console query <paramref name="runs"/> times and prints a markdown table (ms: p50, p95, max).</summary>
    public static async Task TimeQueriesAsync(string path, string busyKey, string rareKey, int runs)
    {
        await using var db = SwitchboardDatabase.FromConfigValue(path);
        var q = new UsageQueries(db);
        var hour = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000).AddHours(1);
        var month = new UsageFilter { From = hour.AddDays(-30), To = hour };
        var ragged = new UsageFilter { From = DateTimeOffset.UtcNow.AddDays(-30), To = DateTimeOffset.UtcNow };
        var week = new UsageFilter { From = hour.AddDays(-7), To = hour };
        var day = new UsageFilter { From = hour.AddDays(-1), To = hour };
        var newest = (await q.RecentAsync(new UsageFilter(), 50))[^1];
        var cases = new List<(string Name, Func<Task> Call)>
        {
            ("TotalsAsync, 30 days (whole hours)", () => q.TotalsAsync(month)),
            ("TotalsAsync, 30 days up to now (ragged ends)", () => q.TotalsAsync(ragged)),
            ("TotalsAsync, 1 day", () => q.TotalsAsync(day)),
            ("TotalsAsync, one key, 30 days", () => q.TotalsAsync(month with { KeyId = busyKey })),
        };
        foreach (var g in Enum.GetValues<UsageGrouping>()) cases.Add(($"GroupsAsync by {g}, 30 days", () => q.GroupsAsync(month, g)));
        cases.Add(("GroupsAsync by Key, 30 days up to now (ragged ends)", () => q.GroupsAsync(ragged, UsageGrouping.Key)));
        cases.Add(("SeriesAsync hourly by model, 7 days", () => q.SeriesAsync(week, SeriesBucket.Hour, UsageGrouping.Model)));
        cases.Add(("SeriesAsync daily by provider, 30 days", () => q.SeriesAsync(month, SeriesBucket.Day, UsageGrouping.Provider)));
        cases.Add(("SeriesAsync daily, one key, 30 days", () => q.SeriesAsync(month with { KeyId = busyKey }, SeriesBucket.Day, null)));
        cases.Add(("RecentAsync 50, no filter", () => q.RecentAsync(new UsageFilter(), 50)));
        cases.Add(("RecentAsync 50, next page (cursor)", () => q.RecentAsync(new UsageFilter(), 50, RequestCursor.After(newest))));
        cases.Add(("RecentAsync 200, busy key", () => q.RecentAsync(new UsageFilter { KeyId = busyKey }, 200)));
        cases.Add(("RecentAsync 50, rare key (≈200 rows in 30 days)", () => q.RecentAsync(new UsageFilter { KeyId = rareKey }, 50)));
        cases.Add(("RecentAsync 50, rare key + status 502", () => q.RecentAsync(new UsageFilter { KeyId = rareKey, Status = 502 }, 50)));
        cases.Add(("RecentAsync 50, model + status 429, 7 days", () => q.RecentAsync(week with { Model = "claude-opus-4", Status = 429 }, 50)));
        cases.Add(("FindAsync by request id", () => q.FindAsync(newest.RequestId)));
        var table = new StringBuilder("| UsageQueries call | p50 ms | p95 ms | max ms |\n|---|--:|--:|--:|\n");
        foreach (var (name, call) in cases)
        {
            await call(); // warm-up: JIT, page cache
            var ms = new List<double>(runs);
            for (var i = 0; i < runs; i++)
            {
                var clock = Stopwatch.StartNew();
                await call();
                ms.Add(clock.Elapsed.TotalMilliseconds);
            }
            ms.Sort();
            table.Append(CultureInfo.InvariantCulture, $"| {name} | {At(ms, 0.5):F1} | {At(ms, 0.95):F1} | {ms[^1]:F1} |\n");
        }
        Console.Write(table);
    }

    private static double At(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
