using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard;
using Switchboard.Auth;
using Switchboard.Config;
using Switchboard.Limits;
using Switchboard.Pricing;
using Switchboard.Storage;
using Switchboard.Storage.Limits;
using Switchboard.Usage;

// Usage: dotnet run -c Release --project bench/Switchboard.Bench.Limits [-- --postgres postgres://user@127.0.0.1:5432/db]
//        dotnet run -c Release --project bench/Switchboard.Bench.Limits -- --tokens   (prompt token counting; see TokenBench)
// Prints the time one admission + settlement takes (median of 7 runs) for each configuration. No HTTP: this isolates
// what the limits feature adds to a request; the HTTP suite (bench/run.sh) measures the gateway as a whole.
// The PostgreSQL database must be migrated (the gateway does that at startup); its limit rows are left behind.

if (args is ["--tokens"])
{
    TokenBench.Run();
    return;
}

var postgres = args.Length >= 2 && args[0] == "--postgres" ? args[1] : null;
using var runtime = new GatewayRuntime(new GatewayConfig
{
    Providers = [new ProviderConfig { Name = "p", Type = "openai", BaseUrl = new Uri("http://127.0.0.1:9/v1") }],
    Models = [new ModelConfig { Name = "m", Deployments = [new DeploymentConfig { Provider = "p", Model = "gpt-4o-mini" }] }],
});
var model = runtime.Models["m"];
var deployment = model.Deployments[0];
var holder = new RuntimeHolder(runtime);
var pricing = new DeploymentPricing(PriceList.BuiltIn);

var huge = new LimitSettings(Rpm: int.MaxValue, Tpm: int.MaxValue, MaxParallel: 1_000_000, BudgetUsd: null, BudgetPeriod.Lifetime);
var hugeBudget = huge with { BudgetUsd = 1_000_000_000m, BudgetPeriod = BudgetPeriod.Monthly };
var cases = new (string Name, ClientIdentity Who)[]
{
    ("no limits (pricing only)", new ClientIdentity { Name = "a", KeyId = "a" }),
    ("key: rpm+tpm+parallel", new ClientIdentity { Name = "b", KeyId = "b", Limits = huge }),
    ("key: rpm+tpm+parallel+budget", new ClientIdentity { Name = "c", KeyId = "c", Limits = hugeBudget }),
    ("key+team: all limits", new ClientIdentity { Name = "d", KeyId = "d", Limits = hugeBudget, Team = "t", TeamLimits = hugeBudget }),
};

var record = new UsageRecord
{
    RequestId = "r", Timestamp = DateTimeOffset.UtcNow, Endpoint = "chat.completions", Model = "m", Status = 200,
    Usage = new TokenUsage(120, 40, 160, 0, 0),
};

Console.WriteLine("| configuration | backend | threads | per request (admit + settle) |");
Console.WriteLine("|---|---|---|---|");
var local = new LimitAdmissionControl(holder, pricing, TimeProvider.System, new NoRecordedSpend());
foreach (var (name, who) in cases)
{
    Report(name, "in-process", 1, await MeasureAsync(local, who, threads: 1, perThread: 200_000));
}
Report("key+team: all limits, same key", "in-process", 4, await MeasureAsync(local, cases[3].Who, threads: 4, perThread: 100_000));

if (postgres is not null)
{
    await using var database = SwitchboardDatabase.FromConfigValue(postgres);
    await database.MigrateAsync();
    // Reference: a bare round trip on the same pool, to tell the network + server floor from the limit functions' work.
    var floor = new List<double>();
    for (var run = 0; run < 7; run++)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 2_000; i++)
        {
            await using var connection = await database.OpenAsync();
            await using var select = SwitchboardDatabase.Command(connection, "SELECT 1");
            await select.ExecuteScalarAsync();
        }
        if (run > 0) floor.Add(Stopwatch.GetElapsedTime(started).TotalNanoseconds / 2_000);
    }
    floor.Sort();
    Report("reference: SELECT 1 round trip", "PostgreSQL", 1, floor[floor.Count / 2]);
    // "exact": one sb_limit_admit round trip per request (migration 100, the design before leases);
    // "leased": admission against this replica's slices (migration 101), refilled in the background.
    foreach (var (mode, leases) in new[] { ("exact", new LimitLeaseOptions { Enabled = false }), ("leased", new LimitLeaseOptions()) })
    {
        var shared = new PostgresLimitCounters(database, TimeProvider.System, NullLogger<PostgresLimitCounters>.Instance, leases);
        var onPostgres = new LimitAdmissionControl(holder, pricing, TimeProvider.System, new NoRecordedSpend(), shared);
        var backend = $"PostgreSQL, {mode}";
        var perThread = leases.Enabled ? 100_000 : 2_000;
        var suffix = "-" + mode + "-" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (name, who) in cases[1..])
        {
            Report(name, backend, 1, await MeasureAsync(onPostgres, who with { KeyId = who.KeyId + suffix, Team = who.Team is null ? null : who.Team + suffix }, threads: 1, perThread: perThread));
        }
        var teamCase = cases[3].Who with { KeyId = "d" + suffix, Team = "t" + suffix };
        Report("key+team: all limits, same key", backend, 8, await MeasureAsync(onPostgres, teamCase, threads: 8, perThread: perThread / 4));
        Report("key+team: all limits, 8 keys", backend, 8, await MeasureAsync(onPostgres, teamCase with { KeyId = "e" + suffix }, threads: 8, perThread: perThread / 4, distinctKeys: true));
        await shared.StopAsync(CancellationToken.None);
        await shared.DisposeAsync();
    }
}

async Task<double> MeasureAsync(LimitAdmissionControl control, ClientIdentity who, int threads, int perThread, bool distinctKeys = false)
{
    var samples = new List<double>();
    for (var run = 0; run < 7; run++)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            var identity = distinctKeys ? who with { KeyId = $"{who.KeyId}-k{t}" } : who;
            var request = new AdmissionRequest(identity, model, 120, 256);
            for (var i = 0; i < perThread; i++)
            {
                var admission = await control.AdmitAsync(request, CancellationToken.None);
                if (admission.Rejection is not null) throw new InvalidOperationException(admission.Rejection.Message);
                admission.Settle(record, deployment);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (run > 0) samples.Add(elapsed.TotalNanoseconds / (threads * (double)perThread)); // run 0 warms up
    }
    samples.Sort();
    return samples[samples.Count / 2];
}

static void Report(string name, string backend, int threads, double nanoseconds) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {backend} | {threads} | {Format(nanoseconds)} |"));

static string Format(double ns) => ns >= 1_000_000 ? $"{ns / 1_000_000:0.00} ms" : ns >= 1_000 ? $"{ns / 1_000:0.00} µs" : $"{ns:0} ns";
