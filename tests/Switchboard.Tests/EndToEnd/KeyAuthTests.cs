using Microsoft.Extensions.DependencyInjection;
using Switchboard.Storage.Keys;
using Switchboard.Tests.Cli;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 19, items 7 to 9: open mode is chosen by the config alone and never lets a revoked or expired key in; a key
/// created on one gateway works on another sharing the database at once; the master key opens /admin from the
/// headers only.
/// </summary>
public sealed class KeyAuthTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-keyauth-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>No keys: and no master_key: single-user local mode (CONTRACT §2).</summary>
    private string OpenYaml(TestDatabase db) => $$"""
        database: "{{db.ConfigValue}}"
        providers:
          mock: { type: openai, base_url: "{{mock.BaseUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        models:
          chat:
            - { provider: mock, model: gpt-4o-mini }
        """;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> ChatAsync(GatewayInstance gateway, string? bearer)
    {
        using var client = gateway.Client(bearer);
        return await client.PostAsync("/v1/chat/completions", Json("""{"model":"chat","messages":[{"role":"user","content":"hi"}]}"""));
    }

    /// <summary>Makes the gateway load the database's keys now (what its poll does within 250 ms).</summary>
    private static Task ReloadKeysAsync(GatewayInstance gateway) => gateway.Services.GetRequiredService<KeyDirectory>().RefreshAsync();

    // ---- item 7: open mode ---------------------------------------------------------------------------------------

    [Fact]
    public async Task Keys_create_in_open_mode_keeps_it_open_and_identifies_the_new_key_with_its_limits()
    {
        await using var db = await TestDatabase.CreateAsync("Sqlite");
        var yaml = OpenYaml(db);
        await File.WriteAllTextAsync(Path.Combine(_dir, "switchboard.yaml"), yaml);
        await using var gateway = await GatewayInstance.StartAsync(yaml);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, "any-bearer")).StatusCode);

        var (code, stdout, stderr) = await CliProcess.RunAsync(_dir, "keys", "create", "--name", "cli-key", "--rpm", "1");
        Assert.True(code == 0, stderr);
        var secret = stdout.Split('\n').Single(l => l.StartsWith("key: ", StringComparison.Ordinal))[5..].Trim();
        await ReloadKeysAsync(gateway);

        // Still open: any bearer, or none, is accepted as before.
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, "any-bearer")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, null)).StatusCode);
        // The known key is that key: its rpm applies and its requests are attributed to it.
        var admitted = await ChatAsync(gateway, secret);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(gateway, secret)).StatusCode);
        // Recorded just after the answer: waited for (reading the log at once raced the record).
        Assert.Equal("cli-key", (await gateway.RecordOfAsync(admitted.Headers.GetValues("x-request-id").Single())).KeyName);
        // And the CLI said so when it created the key.
        Assert.Contains("stays in open mode", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_in_open_mode_also_when_it_was_the_last_key()
    {
        await using var db = await TestDatabase.CreateAsync("Sqlite");
        await using var gateway = await GatewayInstance.StartAsync(OpenYaml(db));
        await using var store = await db.OpenMigratedAsync();
        var keys = new KeyRepository(store, TimeProvider.System);
        var created = await keys.CreateAsync(new KeySpec { Name = "only-key" }, RecordSource.Cli);
        await ReloadKeysAsync(gateway);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, created.Secret)).StatusCode);

        await keys.RevokeAsync(created.Key.Id);
        await ReloadKeysAsync(gateway);

        var refused = await ChatAsync(gateway, created.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Contains("revoked", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, "any-bearer")).StatusCode);
    }

    [Fact]
    public async Task An_expired_key_is_refused_in_open_mode_and_does_not_close_it()
    {
        await using var db = await TestDatabase.CreateAsync("Sqlite");
        await using var gateway = await GatewayInstance.StartAsync(OpenYaml(db));
        await using var store = await db.OpenMigratedAsync();
        var created = await new KeyRepository(store, TimeProvider.System).CreateAsync(
            new KeySpec { Name = "old-key", ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1) }, RecordSource.Cli);
        await ReloadKeysAsync(gateway);

        var refused = await ChatAsync(gateway, created.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("expired", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, "any-bearer")).StatusCode);
    }

    // ---- item 8: a key created on one replica, used on another at once -----------------------------------------

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_key_created_on_one_gateway_works_on_another_sharing_the_database_at_once(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        var yaml = TestConfigs.WithKeys(mock.BaseUrl) + $"\ndatabase: \"{db.ConfigValue}\"\n";
        await using var a = await GatewayInstance.StartAsync(yaml);
        await using var b = await GatewayInstance.StartAsync(yaml);
        using var admin = a.Client(TestConfigs.MasterKey);

        // Several keys, each used on the other gateway right after it was created (b's poll runs every 250 ms).
        for (var i = 0; i < 3; i++)
        {
            var response = await admin.PostAsync("/admin/keys", Json($$"""{"name":"fresh-{{i}}","rpm":1}"""));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var secret = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

            Assert.Equal(HttpStatusCode.OK, (await ChatAsync(b, secret)).StatusCode);
            // Identified as that key, with its limits, also before b's snapshot has it.
            Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(b, secret)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await ChatAsync(b, "sk-sb-not-a-key-at-all")).StatusCode);
    }

    // ---- item 9: the master key from headers only --------------------------------------------------------------

    [Theory]
    [InlineData("/admin/keys")]
    [InlineData("/admin/usage")]
    [InlineData("/admin/logs")]
    [InlineData("/admin/deployments")]
    public async Task The_master_key_in_the_query_string_does_not_open_admin(string path)
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        using var anonymous = gateway.Client();
        var refused = await anonymous.GetAsync($"{path}?key={TestConfigs.MasterKey}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain(TestConfigs.MasterKey, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var header = new HttpRequestMessage(HttpMethod.Get, path);
        header.Headers.Add("x-api-key", TestConfigs.MasterKey);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(header)).StatusCode);
        using var bearer = gateway.Client(TestConfigs.MasterKey);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync(path)).StatusCode);
    }
}
