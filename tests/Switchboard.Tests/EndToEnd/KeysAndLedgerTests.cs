using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Switchboard.Tests.EndToEnd;

/// <summary>Virtual keys, teams, the usage ledger and the admin API through a real gateway, on SQLite and PostgreSQL.</summary>
public sealed class KeysAndLedgerTests(MockUpstreamFixture mock, ITestOutputHelper output) : IClassFixture<MockUpstreamFixture>
{
    private string Yaml(TestDatabase db) => TestConfigs.WithKeys(mock.BaseUrl) + $$"""

        database: "{{db.ConfigValue}}"
        teams:
          ops: { rpm: 100, budget_usd: 10, budget_period: monthly }
        """;

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> ChatAsync(GatewayInstance gateway, string key, string model = "chat")
    {
        using var client = gateway.Client(key);
        return await client.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}"""));
    }

    private static async Task<JsonElement> CreateKeyAsync(GatewayInstance gateway, string body)
    {
        using var admin = gateway.Client(TestConfigs.MasterKey);
        var response = await admin.PostAsync("/admin/keys", Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Key_lifecycle_create_use_limit_models_revoke(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        await using var gateway = await GatewayInstance.StartAsync(Yaml(db));
        using var admin = gateway.Client(TestConfigs.MasterKey);

        var created = await CreateKeyAsync(gateway, """{"name":"ci-bot","team":"ops","rpm":50,"budget_usd":2.5,"budget_period":"daily"}""");
        var secret = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("sk-sb-", secret, StringComparison.Ordinal);
        Assert.Equal("active", created.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, secret)).StatusCode);

        var list = await admin.GetStringAsync("/admin/keys");
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.Contains(secret[..10], list, StringComparison.Ordinal); // the short prefix only
        Assert.Contains("\"alice\"", list, StringComparison.Ordinal); // config keys are listed too
        var one = JsonDocument.Parse(await admin.GetStringAsync($"/admin/keys/{id}")).RootElement;
        Assert.False(one.TryGetProperty("key", out _));
        Assert.Equal("ops", one.GetProperty("team").GetString());
        Assert.Equal(JsonValueKind.Number, one.GetProperty("spend_usd").ValueKind);

        var patch = await admin.PatchAsync($"/admin/keys/{id}", Json("""{"models":["other"]}"""));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ChatAsync(gateway, secret, "chat")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, secret, "other")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/admin/keys/{id}")).StatusCode);
        var refused = await ChatAsync(gateway, secret, "other");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.DoesNotContain(secret, error.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_key_is_refused()
    {
        await using var db = await TestDatabase.CreateAsync("Sqlite");
        await using var gateway = await GatewayInstance.StartAsync(Yaml(db));
        var created = await CreateKeyAsync(gateway, """{"name":"old","expires_at":"2020-01-01T00:00:00Z"}""");
        var response = await ChatAsync(gateway, created.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"rpm":5}""", "name")]
    [InlineData("""{"name":"x","rpm":-1}""", "rpm")]
    [InlineData("""{"name":"x","budget_usd":"lots"}""", "budget_usd")]
    [InlineData("""{"name":"x","budget_period":"weekly"}""", "budget_period")]
    [InlineData("""{"name":"x","models":["no-such-model"]}""", "models")]
    [InlineData("""{"name":"x","expires_at":"tomorrow"}""", "expires_at")]
    [InlineData("""{"name":"x","colour":"blue"}""", "colour")]
    [InlineData("""[1,2]""", null)]
    [InlineData("""{not json""", null)]
    public async Task Bad_admin_input_is_a_400_in_the_OpenAI_shape(string body, string? param)
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        using var admin = gateway.Client(TestConfigs.MasterKey);
        var response = await admin.PostAsync("/admin/keys", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (param is not null) Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/admin/usage?group_by=colour")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/admin/usage?from=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/admin/logs?limit=-3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/keys/key_nope")).StatusCode);
        using var notAdmin = gateway.Client(TestConfigs.AliceKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await notAdmin.GetAsync("/admin/keys")).StatusCode);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Teams_crud_and_usage_grouped_by_key_team_model_provider_day(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        await using var gateway = await GatewayInstance.StartAsync(Yaml(db));
        using var admin = gateway.Client(TestConfigs.MasterKey);

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/admin/teams", Json("""{"name":"research","tpm":5000}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync("/admin/teams/research", Json("""{"rpm":7}"""))).StatusCode);
        var team = JsonDocument.Parse(await admin.GetStringAsync("/admin/teams/research")).RootElement;
        Assert.Equal((7, 5000), (team.GetProperty("rpm").GetInt32(), team.GetProperty("tpm").GetInt32()));
        var teams = await admin.GetStringAsync("/admin/teams");
        Assert.Contains("\"ops\"", teams, StringComparison.Ordinal);
        var key = await CreateKeyAsync(gateway, """{"name":"r1","team":"research"}""");

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, TestConfigs.AliceKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, key.GetProperty("key").GetString()!, "other")).StatusCode);

        var totals = await UsageOnceRecordedAsync(admin, "/admin/usage", expectedRequests: 4);
        Assert.Equal(4, totals.GetProperty("requests").GetInt64());
        Assert.True(totals.GetProperty("prompt_tokens").GetInt64() > 0);
        var byKey = JsonDocument.Parse(await admin.GetStringAsync("/admin/usage?group_by=key")).RootElement.GetProperty("data");
        Assert.Equal([("alice", 3L), ("r1", 1L)], byKey.EnumerateArray().Select(g => (g.GetProperty("name").GetString(), g.GetProperty("requests").GetInt64())).OrderBy(x => x.Item1));
        var byTeam = JsonDocument.Parse(await admin.GetStringAsync("/admin/usage?group_by=team")).RootElement.GetProperty("data");
        Assert.Contains(byTeam.EnumerateArray(), g => g.GetProperty("group").GetString() == "research" && g.GetProperty("requests").GetInt64() == 1);
        var byModel = JsonDocument.Parse(await admin.GetStringAsync("/admin/usage?group_by=model&model=other")).RootElement.GetProperty("data");
        Assert.Equal("other", byModel.EnumerateArray().Single().GetProperty("group").GetString());
        var byProvider = JsonDocument.Parse(await admin.GetStringAsync("/admin/usage?group_by=provider")).RootElement.GetProperty("data");
        Assert.Equal("mock", byProvider.EnumerateArray().Single().GetProperty("group").GetString());
        var byDay = JsonDocument.Parse(await admin.GetStringAsync("/admin/usage?group_by=day")).RootElement.GetProperty("data");
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), byDay.EnumerateArray().Last().GetProperty("group").GetString());
        var logs = JsonDocument.Parse(await admin.GetStringAsync($"/admin/logs?key_id={key.GetProperty("id").GetString()}")).RootElement.GetProperty("data");
        var row = logs.EnumerateArray().Single();
        Assert.Equal(("r1", "research", "other"), (row.GetProperty("key_name").GetString(), row.GetProperty("team").GetString(), row.GetProperty("model").GetString()));
        Assert.Equal(3, JsonDocument.Parse(await admin.GetStringAsync("/admin/logs?model=chat&status=200")).RootElement.GetProperty("data").GetArrayLength());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/admin/teams/research")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/teams/research")).StatusCode);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Removing_every_key_and_the_master_key_from_the_file_runs_open_on_the_same_database(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        await using (var first = await GatewayInstance.StartAsync(Yaml(db)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await ChatAsync(first, "any-bearer")).StatusCode);
            await first.StopAsync();
        }
        // The file's keys are revoked in the database when they leave the file. Open mode is the config's choice alone
        // (CONTRACT §2, §6): the gateway runs open, yet the revoked key stays refused.
        var open = string.Join('\n', Yaml(db).Split('\n')
            .TakeWhile(l => !l.TrimStart().StartsWith("keys:", StringComparison.Ordinal))
            .Where(l => !l.StartsWith("master_key:", StringComparison.Ordinal))) + $"\ndatabase: \"{db.ConfigValue}\"\n";
        await using var second = await GatewayInstance.StartAsync(open);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(second, "any-bearer")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ChatAsync(second, TestConfigs.AliceKey)).StatusCode);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_restart_keeps_keys_and_usage(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        var dataDir = Directory.CreateTempSubdirectory("sb-restart-").FullName;
        string secret;
        await using (var first = await GatewayInstance.StartAsync(Yaml(db), dataDirectory: dataDir))
        {
            secret = (await CreateKeyAsync(first, """{"name":"survivor"}""")).GetProperty("key").GetString()!;
            for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await ChatAsync(first, secret)).StatusCode);
            await first.StopAsync(); // graceful: the ledger flushes
        }
        await using var second = await GatewayInstance.StartAsync(Yaml(db), dataDirectory: dataDir);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(second, secret)).StatusCode);
        using var admin = second.Client(TestConfigs.MasterKey);
        await UsageOnceRecordedAsync(admin, "/admin/usage", expectedRequests: 6);
        var usage = JsonDocument.Parse(await admin.GetStringAsync("/admin/usage?group_by=key")).RootElement.GetProperty("data");
        Assert.Equal(6, usage.EnumerateArray().Single(g => g.GetProperty("name").GetString() == "survivor").GetProperty("requests").GetInt64());
    }

    [Theory, PostgresBackend]
    public async Task Revocation_on_one_gateway_reaches_another_sharing_postgres_within_a_second(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        await using var a = await GatewayInstance.StartAsync(Yaml(db));
        await using var b = await GatewayInstance.StartAsync(Yaml(db));
        var created = await CreateKeyAsync(a, """{"name":"shared"}""");
        var secret = created.GetProperty("key").GetString()!;

        // Creation propagates too: b learns the key by polling.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await ChatAsync(b, secret)).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(b, secret)).StatusCode);

        using var admin = a.Client(TestConfigs.MasterKey);
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/admin/keys/{created.GetProperty("id").GetString()}")).StatusCode);
        var revokedAt = clock.Elapsed;
        Assert.Equal(HttpStatusCode.Unauthorized, (await ChatAsync(a, secret)).StatusCode); // at once on the replica that revoked
        while ((await ChatAsync(b, secret)).StatusCode == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(5);
        var seen = clock.Elapsed - revokedAt;
        output.WriteLine($"revocation reached the other gateway after {seen.TotalMilliseconds:F0} ms");
        Assert.Equal(HttpStatusCode.Unauthorized, (await ChatAsync(b, secret)).StatusCode);
        Assert.True(seen < TimeSpan.FromSeconds(1), $"revocation took {seen.TotalMilliseconds:F0} ms to reach the other gateway");
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task No_secret_in_logs_admin_output_or_ledger(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        string created;
        var outputs = new List<string>();
        await using (var gateway = await GatewayInstance.StartAsync(Yaml(db)))
        {
            using var admin = gateway.Client(TestConfigs.MasterKey);
            var key = await CreateKeyAsync(gateway, """{"name":"scan"}""");
            created = key.GetProperty("key").GetString()!;
            await ChatAsync(gateway, created);
            await ChatAsync(gateway, TestConfigs.AliceKey);
            await ChatAsync(gateway, "sk-sb-not-a-real-key-but-secretish-000000");
            foreach (var path in new[] { "/admin/keys", $"/admin/keys/{key.GetProperty("id").GetString()}", "/admin/teams", "/admin/usage?group_by=key", "/admin/logs", "/health/ready" })
            {
                outputs.Add(await admin.GetStringAsync(path));
            }
            await gateway.StopAsync();
            outputs.AddRange(gateway.Logs.Lines);
        }
        await using var store = db.Open();
        outputs.Add(await DumpAsync(store));
        var password = db.Backend == Storage.StorageBackend.Postgres ? new Npgsql.NpgsqlConnectionStringBuilder(Storage.DatabaseLocation.Parse(db.ConfigValue).ConnectionString).Password : null;
        foreach (var secret in new[] { created, TestConfigs.AliceKey, TestConfigs.BobKey, TestConfigs.MasterKey, MockUpstreamFixture.ProviderKey, "sk-sb-not-a-real-key-but-secretish-000000", password })
        {
            if (string.IsNullOrEmpty(secret)) continue;
            Assert.DoesNotContain(outputs, o => o.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static async Task<string> DumpAsync(Storage.SwitchboardDatabase db)
    {
        var text = new System.Text.StringBuilder();
        await using var connection = await db.OpenAsync();
        // SQLite also keeps the spend roll-up (migration 002); PostgreSQL has no such table.
        string[] tables = db.IsPostgres ? ["virtual_keys", "teams", "usage_ledger"] : ["virtual_keys", "teams", "usage_ledger", "usage_spend"];
        foreach (var table in tables)
        {
            await using var command = Storage.SwitchboardDatabase.Command(connection, $"SELECT * FROM {table}");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++) text.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// A request's ledger row is recorded just after its response is sent, so a read right after the last response
    /// may miss it: poll briefly until the totals count <paramref name="expectedRequests"/> (or give up and let the
    /// assertion report what was there).
    /// </summary>
    private static async Task<JsonElement> UsageOnceRecordedAsync(HttpClient admin, string url, long expectedRequests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var totals = JsonDocument.Parse(await admin.GetStringAsync(url)).RootElement;
            if (totals.GetProperty("requests").GetInt64() >= expectedRequests || DateTime.UtcNow > deadline) return totals;
            await Task.Delay(20);
        }
    }
}
