using System.Globalization;
using Switchboard.Testing;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Several real gateway processes (the built executable, <c>serve</c>) on one PostgreSQL: the replicas of issue 5 as
/// they run in production, sharing nothing but the database. Complements <see cref="ReplicaLimitsTests"/>, whose
/// hosts share one test process.
/// </summary>
public sealed class ProcessReplicaTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>, IAsyncLifetime
{
    private const string RpmKey = "sb-process-rpm-0001";
    private const string BudgetKey = "sb-process-budget-0002";

    private readonly List<GatewayProcess> _gateways = [];
    private TestDatabase? _database;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_gateways.Select(g => g.DisposeAsync().AsTask()));
        if (_database is not null) await _database.DisposeAsync();
    }

    private async Task StartAsync(string backend, int replicas)
    {
        _database = await TestDatabase.CreateAsync(backend);
        // Migrate once up front so the replicas start side by side without racing for the migration lock's first run.
        await (await _database.OpenMigratedAsync()).DisposeAsync();
        var config = $$"""
            master_key: {{TestConfigs.MasterKey}}
            database: "{{_database.ConfigValue}}"
            providers:
              mock: { type: openai, base_url: "{{mock.BaseUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
            models:
              dear:
                - { provider: mock, model: gpt-4o-mini, input_per_mtok: 1000, output_per_mtok: 1000 }
            keys:
              - { key: {{RpmKey}}, name: rpm-key, rpm: 30 }
              - { key: {{BudgetKey}}, name: budget-key, budget_usd: 1 }
            """;
        _gateways.AddRange(await Task.WhenAll(Enumerable.Range(0, replicas).Select(_ => GatewayProcess.StartAsync(config))));
    }

    private static StringContent Chat() => new(
        """{"model":"dear","max_tokens":16,"messages":[{"role":"user","content":"hello there"}]}""", System.Text.Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage[]> FireAsync(string key, int count)
    {
        var clients = _gateways.Select(g => g.Client(key)).ToArray();
        try
        {
            return await Task.WhenAll(Enumerable.Range(0, count).Select(i => clients[i % clients.Length].PostAsync("/v1/chat/completions", Chat())));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Theory, PostgresBackend]
    public async Task Three_processes_admit_exactly_rpm_between_them(string backend)
    {
        await StartAsync(backend, replicas: 3);

        var responses = await FireAsync(RpmKey, 150);

        var admitted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        var refused = responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal(150, admitted + refused);
        Assert.True(admitted <= 30, $"{admitted} admitted in one window, rpm is 30");
        // Slices a replica leased but did not use go back after 2 s idle (docs/limits.md): the rest of the window's
        // allowance is then there for whichever process asks, and never more.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var later = (await FireAsync(RpmKey, 60)).Count(r => r.StatusCode == HttpStatusCode.OK);
        Console.WriteLine($"3 processes, rpm 30, 150 concurrent requests: admitted {admitted}, refused {refused}; after the idle return {later} more of 60");
        Assert.Equal(30, admitted + later);
    }

    [Theory, PostgresBackend]
    public async Task Three_processes_never_overspend_a_budget_and_record_every_request(string backend)
    {
        await StartAsync(backend, replicas: 3);
        var sent = 0;
        for (var wave = 0; wave < 30; wave++)
        {
            var batch = await FireAsync(BudgetKey, 100);
            sent += batch.Length;
            if (batch.All(r => r.StatusCode == HttpStatusCode.TooManyRequests)) break;
        }

        // Every replica stops gracefully and flushes its ledger; a fresh process then reads the totals.
        foreach (var gateway in _gateways) await gateway.StopGracefullyAsync();
        var reader = await GatewayProcess.StartAsync(await File.ReadAllTextAsync(ConfigPathOf()));
        _gateways.Add(reader);
        using var admin = reader.Client(TestConfigs.MasterKey);
        var keyId = await KeyIdAsync(admin, "budget-key");
        using var usage = JsonDocument.Parse(await admin.GetStringAsync($"/admin/usage?key_id={keyId}"));
        var requests = usage.RootElement.GetProperty("requests").GetInt64();
        var spent = usage.RootElement.GetProperty("cost_usd").GetDecimal();
        Console.WriteLine($"3 processes, budget $1, waves of 100 concurrent: spent ${spent}, overspend ${Math.Max(0m, spent - 1m)}, ledger rows {requests} of {sent} sent");
        Assert.Equal(sent, requests);
        Assert.True(spent <= 1m, $"overspent: {spent}");
        Assert.True(1m - spent < 0.2m, $"spent only {spent}");
    }

    [Theory, PostgresBackend]
    public async Task A_key_revoked_on_one_process_is_refused_by_another_within_a_few_polls(string backend)
    {
        await StartAsync(backend, replicas: 2);
        using var admin = _gateways[0].Client(TestConfigs.MasterKey);
        using var created = JsonDocument.Parse(await (await admin.PostAsync("/admin/keys",
            new StringContent("""{"name":"short-lived"}""", System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync());
        var id = created.RootElement.GetProperty("id").GetString()!;
        var secret = created.RootElement.GetProperty("key").GetString()!;
        using var other = _gateways[1].Client(secret);

        // One poll is 250 ms plus a reload of every key (docs/storage.md); 2 s leaves room for a loaded test machine and
        // still fails a poll that stopped or slowed to seconds.
        var accepted = await PollAsync(other, HttpStatusCode.OK);
        Assert.True(accepted < TimeSpan.FromSeconds(2), $"a new key reached the other process after {accepted.TotalMilliseconds:0} ms");
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/admin/keys/{id}")).StatusCode);
        var refused = await PollAsync(other, HttpStatusCode.Unauthorized);
        Console.WriteLine($"revocation reached the other process after {refused.TotalMilliseconds:0} ms");
        Assert.True(refused < TimeSpan.FromSeconds(2), $"revocation took {refused.TotalMilliseconds:0} ms");

        // Neither process wrote the secret (nor the master or provider key) anywhere in its logs.
        foreach (var gateway in _gateways)
        {
            foreach (var secretText in new[] { secret, TestConfigs.MasterKey, MockUpstreamFixture.ProviderKey })
            {
                Assert.DoesNotContain(secretText, gateway.Output, StringComparison.Ordinal);
            }
        }
    }

    private static async Task<TimeSpan> PollAsync(HttpClient client, HttpStatusCode wanted)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var response = await client.PostAsync("/v1/chat/completions", Chat());
            if (response.StatusCode == wanted) return clock.Elapsed;
            await Task.Delay(10);
        }
        return clock.Elapsed;
    }

    private static async Task<string> KeyIdAsync(HttpClient admin, string name)
    {
        using var keys = JsonDocument.Parse(await admin.GetStringAsync("/admin/keys"));
        return keys.RootElement.GetProperty("data").EnumerateArray().First(k => k.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }

    private string ConfigPathOf() => _gateways[0].ConfigPath;
}
