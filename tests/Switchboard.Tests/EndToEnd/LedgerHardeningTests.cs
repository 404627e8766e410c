namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 19: one odd request cannot stop the ledger (item 1), and a client's <c>x-request-id</c> cannot merge ledger
/// rows (item 3). Through a real gateway, on SQLite and PostgreSQL.
/// </summary>
public sealed class LedgerHardeningTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    private string Yaml(TestDatabase db) => TestConfigs.WithKeys(mock.BaseUrl) + $"\ndatabase: \"{db.ConfigValue}\"\n";

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static StringContent Chat(string model = "chat") => Json($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""");

    /// <summary>The <c>/admin/logs</c> rows matching <paramref name="query"/>, once at least <paramref name="expected"/> are there (or after 5 s).</summary>
    private static async Task<List<JsonElement>> LogRowsAsync(GatewayInstance gateway, string query, int expected)
    {
        using var admin = gateway.Client(TestConfigs.MasterKey);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var page = JsonDocument.Parse(await admin.GetStringAsync("/admin/logs?limit=1000&" + query)).RootElement;
            var rows = page.GetProperty("data").EnumerateArray().Select(r => r.Clone()).ToList();
            if (rows.Count >= expected || DateTime.UtcNow > deadline) return rows;
            await Task.Delay(50);
        }
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_model_name_with_a_NUL_is_recorded_cleaned_and_every_later_request_is_recorded(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        await using var gateway = await GatewayInstance.StartAsync(Yaml(db));
        using var client = gateway.Client(TestConfigs.AliceKey);

        using var odd = await client.PostAsync("/v1/chat/completions", Json("""{"model":"x\u0000y","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.NotFound, odd.StatusCode);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", Chat())).StatusCode);

        var rows = await LogRowsAsync(gateway, "key_name=alice", 6);
        Assert.Equal(6, rows.Count);
        Assert.Equal("x\uFFFDy", rows.Single(r => r.GetProperty("status").GetInt32() == 404).GetProperty("model").GetString());
        using var probe = gateway.Client();
        var ready = JsonDocument.Parse(await probe.GetStringAsync("/health/ready")).RootElement;
        Assert.Equal(("ready", "ok", 0L), (ready.GetProperty("status").GetString(), ready.GetProperty("ledger").GetString(), ready.GetProperty("ledger_pending").GetInt64()));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Key_and_team_names_with_a_NUL_are_a_400_naming_the_field(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        await using var gateway = await GatewayInstance.StartAsync(Yaml(db));
        using var admin = gateway.Client(TestConfigs.MasterKey);

        foreach (var (path, body, param) in new[]
        {
            ("/admin/keys", """{"name":"bot\u0000"}""", "name"),
            ("/admin/keys", """{"name":"bot","team":"t\u0000x"}""", "team"),
            ("/admin/teams", """{"name":"t\u0000x"}""", "name"),
        })
        {
            using var response = await admin.PostAsync(path, Json(body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {body}: {(int)response.StatusCode} {text}");
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            Assert.Equal(("invalid_request_error", param), (error.GetProperty("type").GetString(), error.GetProperty("param").GetString()));
            Assert.Contains("control characters", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        // An escaped lone surrogate is refused before any field is read (the body is not valid Unicode text).
        using (var surrogate = await admin.PostAsync("/admin/keys", Json("""{"name":"bot\ud800"}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, surrogate.StatusCode);
        }
        Assert.DoesNotContain("bot", await admin.GetStringAsync("/admin/keys"), StringComparison.Ordinal);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Five_requests_with_one_x_request_id_leave_five_rows_keyed_by_the_gateways_ids(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        await using var gateway = await GatewayInstance.StartAsync(Yaml(db));
        using var client = gateway.Client(TestConfigs.AliceKey);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat() };
            request.Headers.Add("x-request-id", "trace-same");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(response.Headers.GetValues("x-request-id").Single());
            Assert.Equal("trace-same", response.Headers.GetValues("x-client-request-id").Single());
        }

        Assert.All(ids, id => Assert.Matches("^req_[0-9a-f]{32}$", id));
        Assert.Equal(5, ids.Distinct().Count());
        var rows = await LogRowsAsync(gateway, "client_request_id=trace-same", 5);
        Assert.Equal(ids.Order(), rows.Select(r => r.GetProperty("request_id").GetString()!).Order());
        Assert.All(rows, r => Assert.Equal("trace-same", r.GetProperty("client_request_id").GetString()));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Budget_spend_after_a_restart_equals_what_the_requests_before_it_cost(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        var dataDir = Directory.CreateTempSubdirectory("sb-restart-").FullName;
        string keyId;
        decimal cost;
        await using (var first = await GatewayInstance.StartAsync(Yaml(db), dataDirectory: dataDir))
        {
            using var admin = first.Client(TestConfigs.MasterKey);
            var created = JsonDocument.Parse(await (await admin.PostAsync("/admin/keys", Json("""{"name":"budgeted","budget_usd":1}"""))).Content.ReadAsStringAsync()).RootElement;
            keyId = created.GetProperty("id").GetString()!;
            using var client = first.Client(created.GetProperty("key").GetString()!);
            for (var i = 0; i < 5; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat() };
                request.Headers.Add("x-request-id", "retry-of-one-job");
                Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
            }
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (first.Recorded().Count(r => r.KeyId == keyId) < 5 && DateTime.UtcNow < deadline) await Task.Delay(20);
            cost = first.Recorded().Where(r => r.KeyId == keyId).Sum(r => r.CostUsd!.Value);
            Assert.True(cost > 0);
            await first.StopAsync(); // graceful: the ledger flushes
        }

        await using var second = await GatewayInstance.StartAsync(Yaml(db), dataDirectory: dataDir);
        using var admin2 = second.Client(TestConfigs.MasterKey);
        var key = JsonDocument.Parse(await admin2.GetStringAsync($"/admin/keys/{keyId}")).RootElement;
        Assert.Equal(cost, key.GetProperty("spend_usd").GetDecimal());
        var usage = JsonDocument.Parse(await admin2.GetStringAsync($"/admin/usage?key_id={keyId}")).RootElement;
        Assert.Equal((5L, cost), (usage.GetProperty("requests").GetInt64(), usage.GetProperty("cost_usd").GetDecimal()));
    }
}
