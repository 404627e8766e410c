// Usage: dotnet run -c Release --project bench/Switchboard.Bench.Storage -- [postgres://... admin URL]
// Prints ns per key lookup (cache hit), ns per ledger enqueue, and ledger rows/s written to SQLite (and PostgreSQL).
//        dotnet run -c Release --project bench/Switchboard.Bench.Storage -- --ledger [--prefill N] [--rows N] [--batch N] [--gap-ms N] [postgres://...]
// The second form prints µs per ledger row (LedgerBench) for SQLite, and PostgreSQL when a URL is given.
//        ... -- --console-seed PATH [ROWS]          a SQLite ledger for bench/console.sh (ConsoleBench)
//        ... -- --console-queries PATH BUSY_KEY_ID RARE_KEY_ID [RUNS]   times the console's UsageQueries calls on it
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Bench.Storage;
using Switchboard.Config;
using Switchboard.Storage;
using Switchboard.Storage.Keys;
using Switchboard.Storage.Usage;
using Switchboard.Usage;

if (args.Length > 1 && args[0] == "--console-seed")
{
    await ConsoleBench.SeedAsync(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000);
    return;
}
if (args.Length > 3 && args[0] == "--console-queries")
{
    await ConsoleBench.TimeQueriesAsync(args[1], args[2], args[3], args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20);
    return;
}
var dir = Directory.CreateTempSubdirectory("sb-bench-").FullName;
if (args.Length > 0 && args[0] == "--ledger")
{
    int prefill = 200_000, count = 100_000, batch = 500, gapMs = 0;
    string? postgres = null;
    for (var i = 1; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--prefill": prefill = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
            case "--rows": count = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
            case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
            case "--gap-ms": gapMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
            default: postgres = args[i]; break;
        }
    }
    await LedgerBench.RunAsync(Path.Combine(dir, "ledger.db"), prefill, count, batch, gapMs);
    if (postgres is not null) await LedgerBench.RunAsync(postgres, prefill, count, batch, gapMs);
    Directory.Delete(dir, recursive: true);
    return;
}
var targets = new List<string> { Path.Combine(dir, "bench.db") };
if (args.Length > 0) targets.Add(args[0]);

foreach (var target in targets)
{
    await using var db = SwitchboardDatabase.FromConfigValue(target);
    await db.MigrateAsync();
    var keys = new KeyRepository(db, TimeProvider.System);
    var secrets = new List<string>();
    for (var i = 0; i < 1000; i++) secrets.Add((await keys.CreateAsync(new KeySpec { Name = "k" + i, Limits = new Switchboard.Limits.LimitSettings(Rpm: 100) }, RecordSource.Api)).Secret);
    using var directory = new KeyDirectory(keys, new GatewayConfig(), TimeProvider.System, NullLogger<KeyDirectory>.Instance);
    await directory.StartAsync(CancellationToken.None);

    const int lookups = 2_000_000;
    for (var i = 0; i < 10_000; i++) directory.TryFind(secrets[i % secrets.Count], out _);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < lookups; i++) directory.TryFind(secrets[i % secrets.Count], out _);
    var lookupNs = clock.Elapsed.TotalNanoseconds / lookups;
    clock.Restart();
    for (var i = 0; i < 200_000; i++) KeySecrets.Hash(secrets[i % secrets.Count]);
    var hashNs = clock.Elapsed.TotalNanoseconds / 200_000;

    var writer = new LedgerWriter(new LedgerRepository(db), dir, NullLogger<LedgerWriter>.Instance);
    var rows = new UsageRecord[50_000];
    var t0 = DateTimeOffset.UtcNow;
    for (var i = 0; i < rows.Length; i++)
    {
        rows[i] = new UsageRecord
        {
            RequestId = $"req_{Guid.NewGuid():N}", Timestamp = t0, KeyId = "key_1", KeyName = "k1", Team = "ops",
            Endpoint = "chat.completions", Model = "gpt-4o", Provider = "openai", UpstreamModel = "gpt-4o", Status = 200,
            Usage = new TokenUsage(100, 20, 120, 0, 0), CostUsd = 0.00045m, Attempts = 1, AttemptLog = "openai:200", LatencyMs = 12,
        };
    }
    // Enqueue cost measured with the writer not yet started (pure queueing, no competing consumer).
    clock.Restart();
    for (var i = 0; i < rows.Length; i++) writer.Record(rows[i]);
    var enqueueNs = clock.Elapsed.TotalNanoseconds / rows.Length;
    clock.Restart();
    await writer.StartAsync(CancellationToken.None);
    await writer.FlushAsync(TimeSpan.FromMinutes(5));
    var rate = rows.Length / clock.Elapsed.TotalSeconds;
    await writer.StopAsync(CancellationToken.None);
    await directory.StopAsync(CancellationToken.None);

    Console.WriteLine($"{db.Location.Display}: key lookup (cache hit) {lookupNs:F0} ns, SHA-256 of a key {hashNs:F0} ns, " +
        $"ledger enqueue {enqueueNs:F0} ns/row, ledger write {rate:F0} rows/s ({rows.Length} rows)");
}
Directory.Delete(dir, recursive: true);
