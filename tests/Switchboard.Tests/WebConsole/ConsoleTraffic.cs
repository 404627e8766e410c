using Microsoft.Playwright;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// A gateway with two key holders and real traffic through it (to the mock upstream), for the request log and key
/// holder pages: alice (team research, a budget, two models) sends a success, a stream, a bad request and a request
/// that fails over from a broken provider to a healthy one; bob (his own model) sends one request.
/// </summary>
public sealed class ConsoleTraffic : IAsyncDisposable
{
    public const string AliceCrid = "alice-client-id-7";
    public const decimal AliceBudget = 5m;

    private readonly List<IBrowserContext> _browsers = [];

    private ConsoleTraffic(GatewayInstance gateway) => Gateway = gateway;

    public GatewayInstance Gateway { get; }

    /// <summary>alice's requests: success, stream, bad request, failover (the gateway's request ids).</summary>
    public required Requests Alice { get; init; }

    public required string BobRequest { get; init; }

    public sealed record Requests(string Success, string Stream, string BadRequest, string Failover)
    {
        public IEnumerable<string> All => [Success, Stream, BadRequest, Failover];
    }

    /// <summary>Prices high enough that each request costs cents (so budget and spend read as different numbers).</summary>
    public static string Yaml(string mockUrl) => $$"""
        master_key: {{TestConfigs.MasterKey}}
        providers:
          mock: { type: openai, base_url: "{{mockUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          broken: { type: openai, base_url: "{{mockUrl}}/_knobs/status=503/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        models:
          chat:
            - { provider: mock, model: gpt-4o-mini, input_per_mtok: 1000, output_per_mtok: 2000 }
          failover:
            strategy: priority
            deployments:
              - { provider: broken, model: gpt-4o-mini, input_per_mtok: 1000, output_per_mtok: 2000 }
              - { provider: mock, model: gpt-4o, input_per_mtok: 1000, output_per_mtok: 2000 }
          bobs-model:
            - { provider: mock, model: gpt-4.1 }
        routing: { backoff: 1ms, max_backoff: 5ms }
        teams:
          research: { rpm: 600, budget_usd: 100 }
        keys:
          - { key: {{TestConfigs.AliceKey}}, name: alice, team: research, models: [chat, failover], tpm: 500000, budget_usd: {{AliceBudget}} }
          - { key: {{TestConfigs.BobKey}}, name: bob, models: [bobs-model] }
        """;

    public static async Task<ConsoleTraffic> StartAsync(MockUpstreamFixture mock)
    {
        var gateway = await GatewayInstance.StartAsync(Yaml(mock.BaseUrl));
        using var alice = gateway.Client(TestConfigs.AliceKey);
        using var bob = gateway.Client(TestConfigs.BobKey);
        var success = await SendAsync(alice, Chat("chat", stream: false), AliceCrid);
        var stream = await SendAsync(alice, Chat("chat", stream: true));
        var bad = await SendAsync(alice, """{"model":"chat","messages":[""");
        var failover = await SendAsync(alice, Chat("failover", stream: false));
        var bobs = await SendAsync(bob, Chat("bobs-model", stream: false));
        var traffic = new ConsoleTraffic(gateway) { Alice = new Requests(success, stream, bad, failover), BobRequest = bobs };
        // Every request is in the ledger before a page is opened.
        foreach (var id in traffic.Alice.All.Append(bobs)) await AdminLog.RowAsync(gateway, id);
        return traffic;
    }

    public static string Chat(string model, bool stream, string text = "hello from the console tests") =>
        $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{text}}"}]}""";

    /// <summary>Sends a chat request; returns the gateway's request id (x-request-id).</summary>
    public static async Task<string> SendAsync(HttpClient client, string body, string? clientRequestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (clientRequestId is not null) request.Headers.Add("x-client-request-id", clientRequestId);
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return response.Headers.GetValues("x-request-id").Single();
    }

    /// <summary>Every request's row in <c>/admin/logs</c>, by request id.</summary>
    public async Task<Dictionary<string, JsonElement>> AdminRowsAsync()
    {
        using var admin = Gateway.Client(TestConfigs.MasterKey);
        var page = JsonDocument.Parse(await admin.GetStringAsync("/admin/logs?limit=1000")).RootElement;
        return page.GetProperty("data").EnumerateArray().ToDictionary(r => r.GetProperty("request_id").GetString()!, r => r.Clone());
    }

    /// <summary>A key as <c>GET /admin/keys/{id}</c> reports it (with its spend), found by name.</summary>
    public async Task<JsonElement> AdminKeyAsync(string name)
    {
        using var admin = Gateway.Client(TestConfigs.MasterKey);
        var keys = JsonDocument.Parse(await admin.GetStringAsync("/admin/keys")).RootElement.GetProperty("data");
        var id = keys.EnumerateArray().Single(k => k.GetProperty("name").GetString() == name).GetProperty("id").GetString();
        return JsonDocument.Parse(await admin.GetStringAsync($"/admin/keys/{id}")).RootElement.Clone();
    }

    /// <summary>A fresh browser profile on this gateway, signed in with <paramref name="key"/> (closed with the traffic).</summary>
    public async Task<IPage> SignInAsync(ChromiumFixture chromium, string key, int width = 1366)
    {
        var browser = await chromium.NewContextAsync(Gateway.BaseUrl, width: width, height: 900);
        _browsers.Add(browser);
        return await ConsoleBrowsing.SignInAsync(browser, key);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var browser in _browsers) await browser.DisposeAsync();
        await Gateway.DisposeAsync();
    }
}
