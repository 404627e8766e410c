using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Auth;
using Switchboard.Config;
using Switchboard.Limits;
using Switchboard.Pricing;
using Switchboard.Storage;
using Switchboard.Storage.Limits;
using Switchboard.Usage;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Two replicas' admission control on one real PostgreSQL, without HTTP: what happens to a replica's leases when it
/// stops gracefully (they are given back at once) and when it dies (they expire with its heartbeat). Intervals are
/// shortened through <see cref="LimitLeaseOptions"/>; idle return is pushed out of the way so only stop and expiry
/// can free anything.
/// </summary>
public sealed class LeaseLifecycleTests : IAsyncLifetime
{
    private static readonly LimitLeaseOptions Options = new()
    {
        StaleAfter = TimeSpan.FromMilliseconds(1500),
        HeartbeatEvery = TimeSpan.FromMilliseconds(200),
        ReturnIdleAfter = TimeSpan.FromMinutes(5),
    };

    private readonly GatewayRuntime _runtime = new(new GatewayConfig
    {
        Providers = [new ProviderConfig { Name = "p", Type = "openai", BaseUrl = new Uri("http://127.0.0.1:9/v1") }],
        Models = [new ModelConfig { Name = "m", Deployments = [new DeploymentConfig { Provider = "p", Model = "gpt-4o-mini" }] }],
    });
    private readonly List<PostgresLimitCounters> _counters = [];
    private TestDatabase? _database;
    private SwitchboardDatabase? _db;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var counters in _counters) await counters.DisposeAsync();
        if (_db is not null) await _db.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        _runtime.Dispose();
    }

    private async Task<SwitchboardDatabase> DatabaseAsync(string backend)
    {
        _database ??= await TestDatabase.CreateAsync(backend);
        return _db ??= await _database.OpenMigratedAsync();
    }

    private (LimitAdmissionControl Control, PostgresLimitCounters Counters) Replica(SwitchboardDatabase db)
    {
        var counters = new PostgresLimitCounters(db, TimeProvider.System, NullLogger<PostgresLimitCounters>.Instance, Options);
        _counters.Add(counters);
        var control = new LimitAdmissionControl(new RuntimeHolder(_runtime), new DeploymentPricing(PriceList.BuiltIn), TimeProvider.System,
            new NoRecordedSpend(), counters);
        return (control, counters);
    }

    private AdmissionRequest Request(string keyId) =>
        new(new ClientIdentity { Name = keyId, KeyId = keyId, Limits = new LimitSettings(null, null, MaxParallel: 8, null, BudgetPeriod.Lifetime) }, _runtime.Models["m"], 10, 16);

    /// <summary>Admits requests that stay in flight until one is refused; returns how many were admitted.</summary>
    private static async Task<List<Admission>> HoldUntilRefusedAsync(LimitAdmissionControl control, AdmissionRequest request)
    {
        var held = new List<Admission>();
        for (var i = 0; i < 20; i++)
        {
            var admission = await control.AdmitAsync(request, CancellationToken.None);
            if (admission.Rejection is not null) return held;
            held.Add(admission);
        }
        return held;
    }

    private static UsageRecord Finished() => new()
    {
        RequestId = "r", Timestamp = DateTimeOffset.UtcNow, Endpoint = "chat.completions", Model = "m", Status = 200,
        Usage = new TokenUsage(10, 5, 15, 0, 0),
    };

    [Theory, PostgresBackend]
    public async Task A_graceful_stop_gives_unused_slices_back_so_another_replica_can_use_the_full_limit(string backend)
    {
        var db = await DatabaseAsync(backend);
        var (a, aCounters) = Replica(db);
        var (b, _) = Replica(db);
        var request = Request("graceful");
        // Replica A leases a slice of the 8 parallel slots and finishes its request: the slice stays with A.
        var first = await a.AdmitAsync(request, CancellationToken.None);
        Assert.Null(first.Rejection);
        first.Settle(Finished(), null);

        await aCounters.StopAsync(CancellationToken.None);

        var held = await HoldUntilRefusedAsync(b, request);
        Assert.Equal(8, held.Count);
    }

    [Theory, PostgresBackend]
    public async Task A_replica_that_dies_holds_its_slice_until_its_heartbeat_expires_then_it_is_free(string backend)
    {
        var db = await DatabaseAsync(backend);
        var (a, aCounters) = Replica(db);
        var (b, _) = Replica(db);
        var request = Request("dies");
        var inFlightOnA = await a.AdmitAsync(request, CancellationToken.None);
        Assert.Null(inFlightOnA.Rejection);

        await aCounters.DisposeAsync(); // a crash: no settlement, no return, no more heartbeats

        // While A's heartbeat is fresh its slice (the request in flight and the unused slots) still counts: B gets the
        // rest and never more, so the replicas together stay within max_parallel.
        var held = await HoldUntilRefusedAsync(b, request);
        Assert.InRange(held.Count, 1, 7);
        var leasedByA = 8 - held.Count;

        var deadline = DateTime.UtcNow + Options.StaleAfter * 4;
        var more = new List<Admission>();
        while (more.Count < leasedByA && DateTime.UtcNow < deadline)
        {
            more.AddRange(await HoldUntilRefusedAsync(b, request));
            await Task.Delay(100);
        }
        Assert.Equal(8, held.Count + more.Count);
        Assert.NotNull((await b.AdmitAsync(request, CancellationToken.None)).Rejection);
    }
}
