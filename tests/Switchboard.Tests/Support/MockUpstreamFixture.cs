using System.Net.Http.Json;
using Switchboard.MockUpstream;

namespace Switchboard.Tests.Support;

/// <summary>The strict mock upstream (tools/Switchboard.MockUpstream), started once per test class on loopback.</summary>
public sealed class MockUpstreamFixture : IAsyncLifetime
{
    public const string ProviderKey = "sk-mock-provider-secret-0123456789";
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";
    public HttpClient Control { get; } = new();

    public async Task InitializeAsync()
    {
        _app = MockUpstreamServer.Build(new MockUpstreamOptions { ApiKey = ProviderKey }, "http://127.0.0.1:0");
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
