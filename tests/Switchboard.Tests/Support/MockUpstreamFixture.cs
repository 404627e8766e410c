using System.Net.Http.Json;
using Switchboard.MockUpstream;

namespace Switchboard.Tests.Support;

/// <summary>The strict mock upstream (tools/Switchboard.MockUpstream), started once per test class on loopback.</summary>
public class MockUpstreamFixture : IAsyncLifetime
{
    public const string ProviderKey = "sk-mock-provider-secret-0123456789";
    private readonly string _apiKey;
    private WebApplication? _app;

    public MockUpstreamFixture() : this(ProviderKey) { }

    /// <summary>A mock that accepts <paramref name="apiKey"/> as its provider key.</summary>
    protected MockUpstreamFixture(string apiKey) => _apiKey = apiKey;

    public string BaseUrl { get; private set; } = "";
    public HttpClient Control { get; } = new();

    public async Task InitializeAsync()
    {
        _app = MockUpstreamServer.Build(new MockUpstreamOptions { ApiKey = _apiKey }, "http://127.0.0.1:0");
        await _app.StartAsync();
        BaseUrl = _app.Urls.First().TrimEnd('/');
        Control.BaseAddress = new Uri(BaseUrl);
    }

    public async Task DisposeAsync()
    {
        Control.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }

    /// <summary>What the mock received, newest last.</summary>
    public async Task<JsonElement[]> RequestsAsync()
    {
        var doc = await Control.GetFromJsonAsync<JsonElement>("/_mock/requests");
        return [.. doc.EnumerateArray()];
    }

    public async Task<JsonElement> LastRequestAsync() => (await RequestsAsync())[^1];

    public async Task<JsonElement> StatsAsync() => await Control.GetFromJsonAsync<JsonElement>("/_mock/stats");

    public async Task ResetAsync() => (await Control.PostAsync("/_mock/reset", null)).EnsureSuccessStatusCode();
}

/// <summary>
/// The mock with a provider key that is not key-shaped, so only the gateway's exact-key scrub can keep it out of
/// errors and logs.
/// </summary>
public sealed class UnshapedKeyMockFixture() : MockUpstreamFixture(Key)
{
    public const string Key = "prov-secret-7f3a9c41d2e8";
}
