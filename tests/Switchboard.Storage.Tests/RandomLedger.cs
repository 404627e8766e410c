using Switchboard.Usage;

namespace Switchboard.Storage.Tests;

/// <summary>Seeded random ledgers and filters, for comparing the roll-up's answers with the ledger's.</summary>
internal static class RandomLedger
{
    /// <summary>A key with about one row in a hundred.</summary>
    public const string RareKey = "key_rare";

    private static readonly string?[] Keys = ["key_0", "key_1", "key_2", "key_3", null];
    private static readonly string?[] Teams = ["ops", "research", null];
    private static readonly string[] Models = ["gpt-4o", "o3", "claude", "gemini", ""];
    private static readonly string?[] Providers = ["openai", "anthropic", "google", null];
    private static readonly int[] Statuses = [200, 200, 200, 200, 429, 500, 502];
    private static readonly decimal?[] Costs = [0.000001m, 0.0123456m, 0m, null, 2.5m, 0.000000001m];

    /// <summary>
    /// <paramref name="count"/> rows over [<paramref name="start"/>, start + <paramref name="span"/>): every column
    /// the roll-up groups or sums varies, some rows share a millisecond, a few keys were renamed, and a few rows
    /// repeat an earlier row's request id (a retried request).
    /// </summary>
    public static List<UsageRecord> Rows(Random random, int count, DateTimeOffset start, TimeSpan span)
    {
        var rows = new List<UsageRecord>(count);
        for (var i = 0; i < count; i++)
        {
            if (i > 10 && random.Next(50) == 0)
            {
                rows.Add(rows[random.Next(rows.Count)]);
                continue;
            }
            var at = i > 0 && random.Next(10) == 0 ? rows[^1].Timestamp : start.AddMilliseconds(random.NextInt64((long)span.TotalMilliseconds));
            var key = random.Next(100) == 0 ? RareKey : Keys[random.Next(Keys.Length)];
            var status = Statuses[random.Next(Statuses.Length)];
            var row = LedgerTests.Row(i, model: Models[random.Next(Models.Length)], key: key, team: Teams[random.Next(Teams.Length)],
                status: status, cost: Costs[random.Next(Costs.Length)], at: at);
            rows.Add(row with
            {
                Provider = Providers[random.Next(Providers.Length)],
                KeyName = key is null ? null : (random.Next(8) == 0 ? "renamed-" : "name-") + key,
                Usage = new TokenUsage(random.Next(5000), random.Next(900), 0, random.Next(100), random.Next(50)),
                CostEstimated = random.Next(6) == 0,
                UsageMissing = random.Next(20) == 0,
                LatencyMs = random.Next(1, 90_000) / 7.0,
                TimeToFirstTokenMs = random.Next(3) == 0 ? null : random.Next(1, 9_000) / 3.0,
            });
        }
        return rows;
    }

    /// <summary>
    /// Writes <see cref="Rows"/> through <see cref="LedgerRepository"/> in batches of random size, each repeating part
    /// of the one before (as the writer retries a batch whose commit it could not confirm).
    /// </summary>
    public static async Task FillAsync(SwitchboardDatabase db, Random random, int count, DateTimeOffset start, TimeSpan span)
    {
        var rows = Rows(random, count, start, span);
        var repository = new LedgerRepository(db);
        var at = 0;
        while (at < rows.Count)
        {
            var from = Math.Max(0, at - random.Next(30));
            var end = Math.Min(rows.Count, at + random.Next(1, 400));
            await repository.InsertAsync(rows[from..end]);
            at = end;
        }
    }

    /// <summary>A filter a console or an operator might send: any mix of dimensions, whole-hour or ragged times.</summary>
    public static UsageFilter Filter(Random random, DateTimeOffset start, TimeSpan span)
    {
        DateTimeOffset? Time()
        {
            var t = start.AddMilliseconds(random.NextInt64((long)span.TotalMilliseconds));
            return random.Next(4) switch
            {
                0 => null,
                1 => new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero), // a whole hour
                2 => new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, TimeSpan.Zero), // a whole day
                _ => t,
            };
        }
        T? Pick<T>(params T?[] values) => values[random.Next(values.Length)];
        var from = Time();
        var to = random.Next(6) == 0 && from is { } f ? f.AddMinutes(random.Next(1, 50)) : Time(); // sometimes inside one hour
        return new UsageFilter
        {
            KeyId = Pick(null, null, null, "key_1", RareKey, "key_none", ""),
            Team = Pick(null, null, "ops", "research", ""),
            Model = Pick(null, null, null, "gpt-4o", "claude", ""),
            Provider = Pick(null, null, "openai", "anthropic", ""),
            Status = random.Next(12) == 0 ? 500 : null,
            KeyName = random.Next(20) == 0 ? "name-key_1" : null,
            From = from,
            To = to,
        };
    }
}
