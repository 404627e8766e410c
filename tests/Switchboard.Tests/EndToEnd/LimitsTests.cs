using Microsoft.Extensions.DependencyInjection;
using Switchboard.Storage;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Rate limits, parallel limits, budgets and pricing through a real gateway in front of the mock upstream, on both
/// storage backends: real SQLite (in-process counters, spend from the ledger) and real PostgreSQL (shared counters).
/// Each test starts its own gateway on a fresh database.
/// </summary>
public sealed class LimitsTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>, IAsyncLifetime
{
    private const string RpmKey = "sb-limits-rpm-0001";
    private const string TpmKey = "sb-limits-tpm-0002";
    private const string ParallelKey = "sb-limits-par-0003";
    private const string BudgetKey = "sb-limits-budget-0004";
    private const string DailyKey = "sb-limits-daily-0005";
    private const string OpenKey = "sb-limits-open-0006";
    private const string AnthropicKey = "sb-limits-anth-0007";
    private const string AbortKey = "sb-limits-abort-0008";

    /// <summary>Dear on purpose: $1000 per million tokens, a tenth of a cent a token, so small budgets fill quickly.</summary>
    private const decimal PerToken = 1000m / 1_000_000m;

    private readonly ManualClock _clock = new();
    private GatewayInstance _gateway = null!;
    private TestDatabase? _database;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartAsync(string backend, Func<Switchboard.Storage.SwitchboardDatabase, Task>? before = null)
    {
        _database = await TestDatabase.CreateAsync(backend);
        await using (var db = await _database.OpenMigratedAsync())
        {
            if (before is not null) await before(db);
        }
        _gateway = await GatewayInstance.StartAsync(Config(mock.BaseUrl, _database.ConfigValue), time: _clock);
    }

    private static string Config(string mockUrl, string database) => $$"""
        master_key: {{TestConfigs.MasterKey}}
        database: "{{database}}"
        providers:
          mock: { type: openai, base_url: "{{mockUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          slow: { type: openai, base_url: "{{mockUrl}}/_knobs/latency_ms=400/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          slowstream: { type: openai, base_url: "{{mockUrl}}/_knobs/chunk_delay_ms=150;words=200/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        models:
          dear:
            - { provider: mock, model: gpt-4o-mini, input_per_mtok: 1000, output_per_mtok: 1000 }
          slow:
            - { provider: slow, model: gpt-4o-mini, input_per_mtok: 1000, output_per_mtok: 1000 }
          slow-stream:
            - { provider: slowstream, model: gpt-4o-mini, input_per_mtok: 1000, output_per_mtok: 1000 }
          listed:
            - { provider: mock, model: gpt-4o }
          local:
            - { provider: mock, model: mock-local-llama }
        keys:
          - { key: {{RpmKey}}, name: rpm-key, rpm: 10 }
          - { key: {{TpmKey}}, name: tpm-key, tpm: 400 }
          - { key: {{ParallelKey}}, name: parallel-key, max_parallel: 2 }
          - { key: {{BudgetKey}}, name: budget-key, budget_usd: 0.5 }
          - { key: {{DailyKey}}, name: daily-key, budget_usd: 0.05, budget_period: daily }
          - { key: {{OpenKey}}, name: open-key }
          - { key: {{AnthropicKey}}, name: anthropic-key, rpm: 1 }
          - { key: {{AbortKey}}, name: abort-key, tpm: 1000000 }
        """;

    public async Task DisposeAsync()
    {
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private static StringContent Chat(string model, int maxTokens = 16, bool stream = false) => new StringContent(
        $$"""{"model":"{{model}}","max_tokens":{{maxTokens}},"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hello there"}]}""",
        System.Text.Encoding.UTF8, "application/json");

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    private async Task<HttpResponseMessage[]> FireAsync(string key, int count, string model = "dear")
    {
        using var http = _gateway.Client(key);
        return await Task.WhenAll(Enumerable.Range(0, count).Select(_ => http.PostAsync("/v1/chat/completions", Chat(model))));
    }

    private async Task<List<Switchboard.Usage.UsageRecord>> RecordsAsync(string keyName, int expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            var rows = _gateway.Recorded().Where(r => r.KeyName == keyName).ToList();
            // With PostgreSQL, settlements reach the shared counters in the background: wait for them too.
            var pending = _gateway.Services.GetService<Switchboard.Storage.Limits.PostgresLimitCounters>()?.PendingSettlements ?? 0;
            if ((rows.Count >= expected && pending == 0) || attempt == 250) return rows;
            await Task.Delay(20);
        }
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Exactly_rpm_requests_of_50_concurrent_ones_are_admitted_the_rest_get_OpenAIs_429(string backend)
    {
        await StartAsync(backend);
        var responses = await FireAsync(RpmKey, 50);

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(40, refused.Count);
        var error = JsonDocument.Parse(await refused[0].Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("requests", error.GetProperty("type").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("Limit 10", error.GetProperty("message").GetString());
        var retryAfter = int.Parse(Header(refused[0], "Retry-After"));
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("10", Header(refused[0], "x-ratelimit-limit-requests"));
        Assert.Equal("0", Header(refused[0], "x-ratelimit-remaining-requests"));
        // A Go duration; a refusal in the window's first millisecond resets a whole minute from now: "1m0s".
        Assert.Matches(@"^(1m0s|\d+(\.\d+)?s)$", Header(refused[0], "x-ratelimit-reset-requests"));

        // Successful answers carry the headers too, counting down: exactly on one process's counters; with PostgreSQL a
        // request's "remaining" is read from the lease it was admitted from, so two may read the same figure.
        var remaining = responses.Where(r => r.IsSuccessStatusCode).Select(r => int.Parse(Header(r, "x-ratelimit-remaining-requests"))).Order().ToArray();
        if (backend == "Sqlite") Assert.Equal(Enumerable.Range(0, 10), remaining);
        else Assert.All(remaining, left => Assert.InRange(left, 0, 9));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Tokens_per_minute_are_settled_with_the_usage_the_upstream_reported(string backend)
    {
        await StartAsync(backend);
        using var http = _gateway.Client(TpmKey);
        using var first = await http.PostAsync("/v1/chat/completions", Chat("dear", maxTokens: 100));
        first.EnsureSuccessStatusCode();
        var used = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32();
        var reservedFirst = 400 - int.Parse(Header(first, "x-ratelimit-remaining-tokens"));
        Assert.True(reservedFirst > used, $"reserved {reservedFirst} (estimate + max_tokens), used {used}");
        await RecordsAsync("tpm-key", 1); // settled when recorded

        using var second = await http.PostAsync("/v1/chat/completions", Chat("dear", maxTokens: 100));
        second.EnsureSuccessStatusCode();
        // The first request now counts what it used; the second what it reserved (the same request, so the same estimate).
        Assert.Equal(400 - used - reservedFirst, int.Parse(Header(second, "x-ratelimit-remaining-tokens")));
        Assert.Equal("400", Header(second, "x-ratelimit-limit-tokens"));

        await RecordsAsync("tpm-key", 2);
        // 400 - 2×used left: a third reservation of reservedFirst no longer fits.
        using var third = await http.PostAsync("/v1/chat/completions", Chat("dear", maxTokens: 100));
        if (400 - 2 * used < reservedFirst)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            var error = JsonDocument.Parse(await third.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("tokens", error.GetProperty("type").GetString());
            Assert.Matches(@"^\d+(\.\d+)?s$", Header(third, "x-ratelimit-reset-tokens"));
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        }
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task At_most_max_parallel_requests_run_at_once(string backend)
    {
        await StartAsync(backend);
        var responses = await FireAsync(ParallelKey, 6, "slow");

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains("parallel", error.GetProperty("message").GetString());
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("1", Header(refused, "Retry-After"));

        // Slots come back when requests finish.
        await RecordsAsync("parallel-key", 6);
        Assert.All(await FireAsync(ParallelKey, 2, "slow"), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_hundred_concurrent_requests_do_not_overspend_the_budget(string backend)
    {
        await StartAsync(backend);
        var responses = new List<HttpResponseMessage>();
        // Concurrent waves until the budget refuses everything: each wave races 100 requests against the rest of it.
        for (var wave = 0; wave < 20; wave++)
        {
            var batch = await FireAsync(BudgetKey, 100);
            responses.AddRange(batch);
            await RecordsAsync("budget-key", responses.Count);
            if (batch.All(r => r.StatusCode == HttpStatusCode.TooManyRequests)) break;
        }
        var records = await RecordsAsync("budget-key", responses.Count);
        var spent = records.Where(r => r.Status == 200).Sum(r => r.CostUsd!.Value);
        var overspend = Math.Max(0, spent - 0.5m);
        Console.WriteLine($"[{backend}] budget $0.5, spent ${spent}, overspend ${overspend}, admitted {records.Count(r => r.Status == 200)} of {responses.Count}");

        Assert.Equal(0m, overspend);
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("insufficient_quota", error.GetProperty("type").GetString());
        Assert.Equal("insufficient_quota", error.GetProperty("code").GetString());
        // The budget is usable: what is left is less than one request's worst case (prompt estimate + 16 output tokens).
        Assert.True(0.5m - spent < 200 * PerToken, $"spent only {spent}");
        Assert.All(records.Where(r => r.Status == 200), r => Assert.False(r.CostEstimated));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_daily_budget_refuses_until_midnight_UTC_then_admits_again(string backend)
    {
        await StartAsync(backend);
        using var http = _gateway.Client(DailyKey);
        HttpResponseMessage last;
        var guard = 0;
        do
        {
            last = await http.PostAsync("/v1/chat/completions", Chat("dear"));
            await RecordsAsync("daily-key", ++guard);
        }
        while (last.IsSuccessStatusCode && guard < 50);
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Contains("daily budget resets at", await last.Content.ReadAsStringAsync());

        var now = _clock.GetUtcNow();
        _clock.Advance(now.Date.AddDays(1) - now.UtcDateTime + TimeSpan.FromSeconds(1));
        using var nextDay = await http.PostAsync("/v1/chat/completions", Chat("dear"));
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_stream_the_client_aborts_is_billed_for_what_it_produced_and_marked_estimated(string backend)
    {
        await StartAsync(backend);
        using var http = _gateway.Client(AbortKey);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("slow-stream", maxTokens: 1000, stream: true) })
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            for (var events = 0; events < 5;)
            {
                if ((await reader.ReadLineAsync())?.StartsWith("data: {", StringComparison.Ordinal) == true) events++;
            }
        } // the client goes away mid-stream

        var row = (await RecordsAsync("abort-key", 1)).Single();
        Assert.Equal(499, row.Status);
        Assert.True(row.UsageMissing);
        Assert.True(row.CostEstimated);
        Assert.InRange(row.Usage.CompletionTokens, 5, 199);
        Assert.True(row.Usage.PromptTokens > 0);
        Assert.Equal((row.Usage.PromptTokens + row.Usage.CompletionTokens) * PerToken, row.CostUsd);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Unpriced_models_are_recorded_as_unpriced_and_refused_to_budgeted_keys(string backend)
    {
        await StartAsync(backend);
        using var open = _gateway.Client(OpenKey);
        using var ok = await open.PostAsync("/v1/chat/completions", Chat("local"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var listed = await open.PostAsync("/v1/chat/completions", Chat("listed"));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var rows = await RecordsAsync("open-key", 2);
        Assert.Null(rows.Single(r => r.Model == "local").CostUsd);
        Assert.True(rows.Single(r => r.Model == "listed").CostUsd > 0); // gpt-4o from the built-in list

        using var budgeted = _gateway.Client(BudgetKey);
        using var refused = await budgeted.PostAsync("/v1/chat/completions", Chat("local"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("model_not_priced", error.GetProperty("code").GetString());
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Anthropic_clients_get_a_rate_limit_error_in_their_own_shape(string backend)
    {
        await StartAsync(backend);
        using var http = new HttpClient { BaseAddress = new Uri(_gateway.BaseUrl) };
        http.DefaultRequestHeaders.Add("x-api-key", AnthropicKey);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        StringContent Body() => new StringContent("""{"model":"dear","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json");

        using var first = await http.PostAsync("/v1/messages", Body());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await http.PostAsync("/v1/messages", Body());

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var root = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", root.GetProperty("error").GetProperty("type").GetString());
        Assert.True(second.Headers.Contains("retry-after"));
        Assert.Equal("1", Header(second, "x-ratelimit-limit-requests"));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Spend_already_in_the_ledger_counts_against_the_budget_after_a_start(string backend)
    {
        await StartAsync(backend);
        // A previous run spent $0.49 of budget-key's $0.50: put that row in the ledger before the key's first request
        // here (the ledger is what survives a restart; a process reads it when it first sees a key).
        using var admin = _gateway.Client(TestConfigs.MasterKey);
        var keys = JsonDocument.Parse(await admin.GetStringAsync("/admin/keys")).RootElement;
        var list = keys.ValueKind == JsonValueKind.Array ? keys : keys.GetProperty("data");
        var keyId = list.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "budget-key").GetProperty("id").GetString();
        await using (var db = _database!.Open())
        {
            // Written as the previous run's ledger writer wrote it (on SQLite that also keeps the spend roll-up).
            await new Switchboard.Storage.Usage.LedgerRepository(db).InsertAsync([new Switchboard.Usage.UsageRecord
            {
                RequestId = "earlier-run",
                Timestamp = DateTimeOffset.UtcNow.AddDays(-3),
                KeyId = keyId,
                KeyName = "budget-key",
                Endpoint = "chat.completions",
                Model = "dear",
                Status = 200,
                Usage = new Switchboard.Usage.TokenUsage(400_000, 90_000, 490_000, 0, 0),
                CostUsd = 0.49m,
                Attempts = 1,
                LatencyMs = 1.0,
            }]);
        }

        using var http = _gateway.Client(BudgetKey);
        using var refused = await http.PostAsync("/v1/chat/completions", Chat("dear"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("spent $0.49 of $0.5", await refused.Content.ReadAsStringAsync());
    }
}
