using System.Collections.Concurrent;
using Xunit.Abstractions;
using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>Live reload: by the admin call and by the file watcher, under load, and refusing invalid files.</summary>
public sealed class ReloadTests(MockUpstreamFixture mock, ITestOutputHelper output) : IClassFixture<MockUpstreamFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-reload-").FullName;

    private string ConfigPath => Path.Combine(_dir, "switchboard.yaml");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Model "m" served by upstream model <paramref name="upstream"/> through provider "p", whose URL changes with it
    /// (so each reload replaces "p" and retires the old one while its streams run); streams are slowed so some span a
    /// reload. Provider "q" never changes (it is carried over).
    /// </summary>
    private string Version(string upstream, bool watch = false) => GatewayYaml(
        Provider("p", mock.BaseUrl, $"chunk_delay_ms=20;words={10 + upstream.Length}") + "\n" + Provider("q", mock.BaseUrl),
        $"m: [{{ provider: p, model: {upstream} }}]\nother: [{{ provider: q, model: gpt-4o-mini }}]",
        $"reload: {{ watch: {(watch ? "true" : "false")}, debounce: 200ms }}");

    [Fact]
    public async Task Reloads_under_load_fail_no_request_and_new_requests_take_the_new_routes()
    {
        await File.WriteAllTextAsync(ConfigPath, Version("gpt-4o-mini"));
        await using var gateway = await GatewayInstance.StartFromFileAsync(ConfigPath);
        using var admin = gateway.Client(TestConfigs.MasterKey);
        var verdicts = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();

        var workers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            using var http = gateway.Client(TestConfigs.MasterKey);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var stream = (w + i) % 2 == 0;
                var answer = await SendAsync(http, i % 3 == 0 ? "other" : "m", stream, text: "several words for a longer stream here");
                verdicts.AddOrUpdate(Verdict(answer, stream), 1, (_, n) => n + 1);
            }
        })).ToList();

        var reloads = 0;
        string[] versions = ["gpt-4o", "gpt-4.1", "gpt-4o-mini", "gpt-4.1", "gpt-4o-mini", "gpt-4.1", "gpt-4o-mini", "gpt-4o"];
        foreach (var upstream in versions)
        {
            await Task.Delay(400);
            await File.WriteAllTextAsync(ConfigPath, Version(upstream));
            var reload = await admin.PostAsync("/admin/reload", null);
            Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
            reloads++;
        }
        await Task.Delay(400);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var total = verdicts.Values.Sum();
        output.WriteLine($"reload under load: {reloads} reloads, {total} requests, {verdicts.GetValueOrDefault("ok")} ok, " +
            $"{verdicts.GetValueOrDefault("explicit")} explicit failures, {verdicts.GetValueOrDefault("silent")} silent failures");
        Assert.True(total > 50, $"only {total} requests ran");
        Assert.Equal(total, verdicts.GetValueOrDefault("ok"));

        var after = await SendAsync(admin, "m", stream: false);
        var row = await after.RowAsync(gateway);
        Assert.Equal("gpt-4o", row.GetProperty("upstream_model").GetString());
    }

    [Fact]
    public async Task An_invalid_config_is_rejected_with_its_errors_and_the_old_one_keeps_serving()
    {
        await File.WriteAllTextAsync(ConfigPath, Version("gpt-4o-mini"));
        await using var gateway = await GatewayInstance.StartFromFileAsync(ConfigPath);
        using var admin = gateway.Client(TestConfigs.MasterKey);

        await File.WriteAllTextAsync(ConfigPath, Version("gpt-4o").Replace("provider: p,", "provider: nowhere,", StringComparison.Ordinal)
            + "\nrouting: { max_attempts: 0 }\n");
        var reload = await admin.PostAsync("/admin/reload", null);
        var body = JsonDocument.Parse(await reload.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, reload.StatusCode);
        Assert.Equal("invalid_config", body.GetProperty("error").GetProperty("code").GetString());
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.Contains("switchboard.yaml:", StringComparison.Ordinal) && e.Contains("provider 'nowhere' is not defined", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("routing.max_attempts", StringComparison.Ordinal));
        Assert.Contains(gateway.Logs.Lines, l => l.Contains("rejected", StringComparison.Ordinal));

        var still = await SendAsync(admin, "m", stream: false);
        Assert.Equal(HttpStatusCode.OK, still.Status);
        var row = await still.RowAsync(gateway);
        Assert.Equal("gpt-4o-mini", row.GetProperty("upstream_model").GetString());
    }

    [Fact]
    public async Task A_changed_file_is_picked_up_by_the_watcher_and_health_survives_the_reload()
    {
        await File.WriteAllTextAsync(ConfigPath, Version("gpt-4o-mini", watch: true));
        await using var gateway = await GatewayInstance.StartFromFileAsync(ConfigPath);
        using var admin = gateway.Client(TestConfigs.MasterKey);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, "other", stream: false)).Status);
        var before = await DeploymentAsync(gateway, "other", "q", r => r.GetProperty("successes").GetInt64() == 1);
        Assert.Equal(1, before.GetProperty("successes").GetInt64());

        // Same "other" deployment, new "m" route: "other"'s health is kept, "m" moves to gpt-4.1.
        await File.WriteAllTextAsync(ConfigPath, Version("gpt-4.1", watch: true));
        string? upstream = null;
        for (var i = 0; i < 50 && upstream != "gpt-4.1"; i++)
        {
            await Task.Delay(100);
            var answer = await SendAsync(admin, "m", stream: false);
            upstream = (await answer.RowAsync(gateway)).GetProperty("upstream_model").GetString();
        }
        Assert.Equal("gpt-4.1", upstream);
        var after = await DeploymentAsync(gateway, "other", "q");
        Assert.Equal(1, after.GetProperty("successes").GetInt64());

        // A broken edit is ignored: the last good config keeps serving.
        await File.WriteAllTextAsync(ConfigPath, "models: [unclosed");
        await Task.Delay(800);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, "m", stream: false)).Status);
        Assert.Contains(gateway.Logs.Lines, l => l.Contains("rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_added_to_or_removed_from_the_file_take_effect_on_reload()
    {
        const string Old = "sk-reload-old-0123456789abcdef", New = "sk-reload-new-0123456789abcdef";
        string WithKey(string secret, string name) => Version("gpt-4o-mini") + $"\nkeys:\n  - {{ key: {secret}, name: {name} }}\n";
        await File.WriteAllTextAsync(ConfigPath, WithKey(Old, "old"));
        await using var gateway = await GatewayInstance.StartFromFileAsync(ConfigPath);
        using var admin = gateway.Client(TestConfigs.MasterKey);
        using var oldClient = gateway.Client(Old);
        using var newClient = gateway.Client(New);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(oldClient, "m", stream: false)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(newClient, "m", stream: false)).Status);

        await File.WriteAllTextAsync(ConfigPath, WithKey(New, "new"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/reload", null)).StatusCode);

        // From the first request after the reload answered: the new key works, the dropped one is refused.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(newClient, "m", stream: false)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(oldClient, "m", stream: false)).Status);
    }
}
