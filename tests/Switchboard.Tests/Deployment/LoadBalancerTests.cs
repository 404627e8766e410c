using System.Text.RegularExpressions;

namespace Switchboard.Tests.Deployment;

/// <summary>
/// deploy/nginx.conf (the load balancer of compose.yaml) run by the real nginx in front of two real gateway processes
/// on one PostgreSQL database, as compose runs them (minus the containers): requests are spread over both replicas,
/// a stream passes through event by event, and both replicas' usage lands in the one ledger.
/// </summary>
public sealed partial class LoadBalancerTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>, IAsyncLifetime
{
    private const string Nginx = "/usr/sbin/nginx";
    private const int Requests = 12;

    private readonly List<GatewayProcess> _replicas = [];
    private readonly string _nginxDirectory = Path.Combine(Path.GetTempPath(), "sb-nginx-" + Guid.NewGuid().ToString("N")[..10]);
    private TestDatabase? _database;
    private Process? _nginx;
    private int _port;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }
        _nginx?.Dispose();
        await Task.WhenAll(_replicas.Select(r => r.DisposeAsync().AsTask()));
        if (_database is not null) await _database.DisposeAsync();
        try { Directory.Delete(_nginxDirectory, recursive: true); } catch (IOException) { }
    }

    [Theory, PostgresBackend]
    public async Task Nginx_spreads_requests_over_the_replicas_and_their_usage_lands_in_one_ledger(string backend)
    {
        await StartAsync(backend);
        using var client = Client();

        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.PostAsync("/v1/chat/completions", Chat(stream: false));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        // Each replica names its provider after itself (the only difference between their configs), so the ledger's
        // usage by provider shows which replica served which request.
        var byProvider = await UsageByProviderAsync(client, Requests);
        Assert.Equal(["replica0", "replica1"], byProvider.Keys.Order());
        Assert.All(byProvider.Values, served => Assert.True(served >= Requests / 4, $"one replica served {served} of {Requests}: {string.Join(", ", byProvider)}"));
    }

    [Theory, PostgresBackend]
    public async Task A_stream_passes_the_load_balancer_event_by_event(string backend)
    {
        await StartAsync(backend, upstreamKnobs: "chunk_delay_ms=300;words=12");
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat(stream: true) };

        var stream = await Sse.ReadTimedAsync(client, request);

        Assert.Equal(HttpStatusCode.OK, stream.Status);
        Assert.StartsWith("data: {", stream.First, StringComparison.Ordinal);
        // 12 words 300 ms apart take ~3.3 s upstream; a buffering proxy would hold the first event back until the end.
        Assert.True(stream.End - stream.FirstAt > TimeSpan.FromSeconds(2), $"first event at {stream.FirstAt}, end at {stream.End}: the proxy held events back");
        Assert.EndsWith("data: [DONE]", stream.Rest.TrimEnd(), StringComparison.Ordinal);
    }

    private async Task StartAsync(string backend, string upstreamKnobs = "")
    {
        Assert.True(File.Exists(Nginx), $"{Nginx} is missing (test.sh installs Debian's nginx)");
        _database = await TestDatabase.CreateAsync(backend);
        // Migrate once up front so the replicas start side by side without racing for the migration lock's first run.
        await (await _database.OpenMigratedAsync()).DisposeAsync();
        var knobs = upstreamKnobs.Length > 0 ? $"/_knobs/{upstreamKnobs}" : "";
        _replicas.AddRange(await Task.WhenAll(Enumerable.Range(0, 2).Select(i => GatewayProcess.StartAsync($$"""
            master_key: {{TestConfigs.MasterKey}}
            database: "{{_database.ConfigValue}}"
            providers:
              replica{{i}}: { type: openai, base_url: "{{mock.BaseUrl}}{{knobs}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
            models:
              gpt-4o-mini:
                - { provider: replica{{i}}, model: gpt-4o-mini }
            """))));
        await StartNginxAsync();
    }

    /// <summary>
    /// deploy/nginx.conf as shipped, pointed at this test's replicas and port instead of compose's service names, with
    /// its pid file in a private directory.
    /// </summary>
    private async Task StartNginxAsync()
    {
        Directory.CreateDirectory(_nginxDirectory);
        var shipped = await File.ReadAllTextAsync(Path.Combine(PackageBuild.RepositoryRoot, "deploy", "nginx.conf"));
        _port = GatewayProcess.FreePort();
        var servers = string.Concat(_replicas.Select(r => $"server 127.0.0.1:{r.Port} max_fails=3 fail_timeout=10s;\n        "));
        var config = ReplaceOnce(ComposeUpstream(), shipped, servers.TrimEnd());
        config = ReplaceOnce(ListenLine(), config, $"listen 127.0.0.1:{_port};");
        config = ReplaceOnce(PidLine(), config, $"pid {Path.Combine(_nginxDirectory, "nginx.pid")};");
        var configPath = Path.Combine(_nginxDirectory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);

        var start = new ProcessStartInfo(Nginx) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-p", _nginxDirectory, "-c", configPath, "-g", "daemon off;" }) start.ArgumentList.Add(arg);
        _nginx = Process.Start(start)!;
        var errors = _nginx.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        using var probe = Client();
        while (DateTime.UtcNow < deadline)
        {
            if (_nginx.HasExited) throw new InvalidOperationException($"nginx exited {_nginx.ExitCode}: {await errors}");
            try
            {
                using var ready = await probe.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("nginx did not answer /health/ready within 20 s");
    }

    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestConfigs.MasterKey);
        return client;
    }

    private static StringContent Chat(bool stream) => new(
        $$"""{"model":"gpt-4o-mini","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hello there"}]}""",
        Encoding.UTF8, "application/json");

    /// <summary>Requests per provider in the ledger, once all <paramref name="expected"/> rows are written (batched).</summary>
    private static async Task<Dictionary<string, long>> UsageByProviderAsync(HttpClient admin, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var data = JsonDocument.Parse(await admin.GetStringAsync("/admin/usage?group_by=provider")).RootElement.GetProperty("data");
            var byProvider = data.EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!, g => g.GetProperty("requests").GetInt64());
            if (byProvider.Values.Sum() >= expected || DateTime.UtcNow > deadline)
            {
                Assert.Equal(expected, byProvider.Values.Sum());
                return byProvider;
            }
            await Task.Delay(200);
        }
    }

    private static string ReplaceOnce(Regex pattern, string text, string replacement)
    {
        Assert.Single(pattern.Matches(text));
        return pattern.Replace(text, replacement.Replace("$", "$$", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"server gateway:4000[^;]*;")]
    private static partial Regex ComposeUpstream();

    [GeneratedRegex(@"listen 4000;")]
    private static partial Regex ListenLine();

    [GeneratedRegex(@"pid [^;]+;")]
    private static partial Regex PidLine();
}
