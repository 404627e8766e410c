namespace Switchboard.Tests.Cli;

/// <summary><c>keys</c> and <c>usage</c> verbs, run as the real executable against the configured database.</summary>
public sealed class StorageCliTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Keys_create_list_revoke_and_usage_work_on_the_configured_database(string backend)
    {
        await using var db = await TestDatabase.CreateAsync(backend);
        var yaml = TestConfigs.WithKeys(mock.BaseUrl) + $"\ndatabase: \"{db.ConfigValue}\"\n";
        var config = Path.Combine(_dir, "switchboard.yaml");
        await File.WriteAllTextAsync(config, yaml);

        var (code, stdout, stderr) = await CliProcess.RunAsync(_dir, "keys", "create", "--name", "cli-key", "--models", "chat", "--rpm", "30");
        Assert.True(code == 0, stderr);
        var secret = stdout.Split('\n').Single(l => l.StartsWith("key: ", StringComparison.Ordinal))[5..].Trim();
        var id = stdout.Split('\n').Single(l => l.StartsWith("id:", StringComparison.Ordinal))[4..].Trim();
        Assert.StartsWith("sk-sb-", secret, StringComparison.Ordinal);

        (code, stdout, _) = await CliProcess.RunAsync(_dir, "keys", "list");
        Assert.Equal(0, code);
        Assert.Contains("cli-key", stdout, StringComparison.Ordinal);
        Assert.Contains("alice", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(TestConfigs.AliceKey, stdout, StringComparison.Ordinal);

        await using (var gateway = await GatewayInstance.StartAsync(yaml))
        {
            using var client = gateway.Client(secret);
            var ok = await client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"chat","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            await gateway.StopAsync();
        }

        (code, stdout, _) = await CliProcess.RunAsync(_dir, "usage", "--group-by", "key");
        Assert.Equal(0, code);
        var row = stdout.Split('\n').Single(l => l.Contains("cli-key", StringComparison.Ordinal));
        Assert.Matches(@"cli-key \(key_[0-9a-f]+\)\s*│\s*1\s*│", row);

        (code, stdout, _) = await CliProcess.RunAsync(_dir, "keys", "revoke", id);
        Assert.Equal(0, code);
        (code, _, stderr) = await CliProcess.RunAsync(_dir, "keys", "revoke", "key_does_not_exist");
        Assert.Equal(1, code);
        Assert.Contains("no key", stderr, StringComparison.Ordinal);
        (_, stdout, _) = await CliProcess.RunAsync(_dir, "keys", "list");
        Assert.Contains("revoked", stdout.Split('\n').Single(l => l.Contains("cli-key", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_create_refuses_a_name_with_a_control_character_with_a_clear_error()
    {
        await using var db = await TestDatabase.CreateAsync("Sqlite");
        await File.WriteAllTextAsync(Path.Combine(_dir, "switchboard.yaml"), TestConfigs.WithKeys(mock.BaseUrl) + $"\ndatabase: \"{db.ConfigValue}\"\n");

        // A NUL cannot travel in argv; any other control character is refused by the same rule.
        var (code, stdout, stderr) = await CliProcess.RunAsync(_dir, "keys", "create", "--name", "bad\u0001name");

        Assert.Equal(1, code);
        Assert.Contains("--name: must be text without control characters", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("key:", stdout, StringComparison.Ordinal);
    }
}
