using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Storage.Limits;
using Switchboard.Tests.Support;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Three gateway hosts on one PostgreSQL database agree on limits and budgets. The hosts share nothing but the
/// database (each has its own DI container, counters and connection pool), as separate processes would.
/// </summary>
public sealed class ReplicaLimitsTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>, IAsyncLifetime
{
    private const string RpmKey = "sb-replica-rpm-0001";
    private const string BudgetKey = "sb-replica-budget-0002";
    private const string ParallelKey = "sb-replica-par-0003";
    private const string KeyA = "sb-replica-team-a-0004";
    private const string KeyB = "sb-replica-team-b-0005";

    private readonly List<GatewayInstance> _gateways = [];
    private TestDatabase? _database;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(string backend, int replicas = 3)
    {
        _database = await TestDatabase.CreateAsync(backend);
        await (await _database.OpenMigratedAsync()).DisposeAsync();
        for (var i = 0; i < replicas; i++) _gateways.Add(await GatewayInstance.StartAsync(Config(mock.BaseUrl, _database.ConfigValue)));
    }

    private static string Config(string mockUrl, string database) => $$"""
        master_key: {{TestConfigs.MasterKey}}
        database: "{{database}}"
        providers:
          mock: { type: openai, base_url: "{{mockUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          slow: { type: openai, base_url: "{{mockUrl}}/_knobs/latency_ms=400/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        models:
          dear:
            - { provider: mock, model: gpt-4o-mini, input_per_mtok: 1000, output_per_mtok: 1000 }
          slow:
            - { provider: slow, model: gpt-4o-mini, input_per_mtok: 1000, output_per_mtok: 1000 }
        keys:
          - { key: {{RpmKey}}, name: rpm-key, rpm: 30 }
          - { key: {{BudgetKey}}, name: budget-key, budget_usd: 1 }
          - { key: {{ParallelKey}}, name: parallel-key, max_parallel: 4 }
        """;

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways) await gateway.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private static StringContent Chat(string model) => new(
        $$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"hello there"}]}""", System.Text.Encoding.UTF8, "application/json");

    /// <summary>Fires <paramref name="count"/> requests at once, spread round-robin over the replicas.</summary>
    private async Task<HttpResponseMessage[]> FireAsync(string key, int count, string model = "dear")
    {
        var clients = _gateways.Select(g => g.Client(key)).ToArray();
        try
        {
            return await Task.WhenAll(Enumerable.Range(0, count).Select(i => clients[i % clients.Length].PostAsync("/v1/chat/completions", Chat(model))));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private async Task<List<Switchboard.Usage.UsageRecord>> SettledAsync(string keyName, int expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var rows = _gateways.SelectMany(g => g.Recorded()).Where(r => r.KeyName == keyName).ToList();
            var pending = _gateways.Sum(g => g.Services.GetRequiredService<PostgresLimitCounters>().PendingSettlements);
            if ((rows.Count >= expected && pending == 0) || attempt == 250) return rows;
            await Task.Delay(20);
        }
    }

    [Theory, PostgresBackend]
    public async Task Three_replicas_admit_exactly_rpm_requests_between_them(string backend)
    {
        await StartAsync(backend);

        var responses = await FireAsync(RpmKey, 150);

        var admitted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Console.WriteLine($"3 replicas, rpm 30, 150 concurrent requests: admitted {admitted}");
        Assert.Equal(30, admitted);
        Assert.Equal(120, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
    }

    [Theory, PostgresBackend]
    public async Task Three_replicas_never_overspend_a_budget_together(string backend)
    {
        await StartAsync(backend);
        var sent = 0;
        for (var wave = 0; wave < 30; wave++)
        {
            var batch = await FireAsync(BudgetKey, 100);
            sent += batch.Length;
            await SettledAsync("budget-key", sent);
            if (batch.All(r => r.StatusCode == HttpStatusCode.TooManyRequests)) break;
        }
        var rows = await SettledAsync("budget-key", sent);
        var spent = rows.Where(r => r.Status == 200).Sum(r => r.CostUsd!.Value);
        var overspend = Math.Max(0m, spent - 1m);
        Console.WriteLine($"3 replicas, budget $1, waves of 100 concurrent: spent ${spent}, overspend ${overspend}, admitted {rows.Count(r => r.Status == 200)} of {sent}");
        Assert.Equal(0m, overspend);
        Assert.True(1m - spent < 0.2m, $"spent only {spent}");
    }

    [Theory, PostgresBackend]
    public async Task Three_replicas_share_one_parallel_limit(string backend)
    {
        await StartAsync(backend);

        var responses = await FireAsync(ParallelKey, 12, "slow");

        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
    }

    [Theory, PostgresBackend]
    public async Task Spend_survives_a_restart_of_every_replica(string backend)
    {
        await StartAsync(backend, replicas: 1);
        var first = await FireAsync(BudgetKey, 10);
        Assert.All(first, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var spentBefore = (await SettledAsync("budget-key", 10)).Sum(r => r.CostUsd!.Value);
        await _gateways[0].DisposeAsync();
        _gateways.Clear();

        _gateways.Add(await GatewayInstance.StartAsync(Config(mock.BaseUrl, _database!.ConfigValue)));
        var sent = 0;
        for (var wave = 0; wave < 30; wave++)
        {
            var batch = await FireAsync(BudgetKey, 50);
            sent += batch.Length;
            await SettledAsync("budget-key", sent);
            if (batch.All(r => r.StatusCode == HttpStatusCode.TooManyRequests)) break;
        }
        var spentAfter = (await SettledAsync("budget-key", sent)).Where(r => r.Status == 200).Sum(r => r.CostUsd!.Value);
        Assert.True(spentBefore + spentAfter <= 1m, $"before restart {spentBefore}, after {spentAfter}: the restart forgot the spend");
    }
}
