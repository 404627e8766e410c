using Microsoft.AspNetCore.Builder;

namespace Switchboard.MockUpstream.Tests;

/// <summary>A started mock on a free loopback port plus an HttpClient pointed at it.</summary>
public sealed class MockHost : IAsyncDisposable
{
    public const string Key = "mock-key";

    private MockHost(WebApplication app, Uri baseUri, HttpClient client)
    {
        App = app;
        BaseUri = baseUri;
        Client = client;
    }

    public WebApplication App { get; }

    public Uri BaseUri { get; }

    public HttpClient Client { get; }

    public static async Task<MockHost> StartAsync(MockUpstreamOptions? options = null, HttpMessageHandler? handler = null)
    {
        var app = MockUpstreamServer.Build(options ?? new MockUpstreamOptions(), "http://127.0.0.1:0");
        await app.StartAsync();
        var baseUri = new Uri(app.Urls.First());
        var client = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        return new MockHost(app, baseUri, client);
    }

    /// <summary>JSON request with single quotes standing for double quotes, so test bodies stay readable.</summary>
    public static string J(string relaxed) => relaxed.Replace('\'', '"');

    public static HttpRequestMessage Post(string path, string json, string? key = Key, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json, string? key = Key) => Client.SendAsync(Post(path, json, key));

    public async Task<JsonElement> PostJsonAsync(string path, string json, int expectedStatus = 200)
    {
        using var response = await PostAsync(path, json);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"expected {expectedStatus}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        string text = await Client.GetStringAsync(path);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> StatsAsync() => GetJsonAsync("/_mock/stats");

    /// <summary>Waits until a stats counter reaches a value (stream fates are recorded asynchronously).</summary>
    public async Task<JsonElement> WaitForStatAsync(string name, long value, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var stats = await StatsAsync();
            if (stats.GetProperty(name).GetInt64() >= value || DateTime.UtcNow > deadline)
            {
                return stats;
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        // Do not wait out the default 30 s shutdown for streams a test left open.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await App.StopAsync(cts.Token);
        await App.DisposeAsync();
    }
}

/// <summary>One mock shared by a test class (tests that read stats start their own).</summary>
public sealed class MockHostFixture : IAsyncLifetime
{
    public MockHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await MockHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Assertions on the OpenAI error shape and on SSE bodies.</summary>
public static class Wire
{
    public static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, int status, string message, string? param, string? code, bool prefix = false)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        if (prefix)
        {
            Assert.StartsWith(message, error.GetProperty("message").GetString());
        }
        else
        {
            Assert.Equal(message, error.GetProperty("message").GetString());
        }
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        return error.Clone();
    }

    /// <summary>The data payloads of an SSE body, in order (including "[DONE]").</summary>
    public static List<string> DataEvents(string body)
    {
        var events = new List<string>();
        foreach (var frame in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", frame);
            events.Add(frame["data: ".Length..]);
        }
        return events;
    }

    public static List<JsonElement> Chunks(List<string> events) =>
        events.Where(e => e != "[DONE]").Select(e => JsonDocument.Parse(e).RootElement.Clone()).ToList();

    /// <summary>
    /// The names of the recorded streams (<c>*.sse</c>) under shared/fixtures/<paramref name="provider"/>, one theory
    /// row each; one placeholder row when the recordings are absent (the fixture theory is skipped then).
    /// </summary>
    public static TheoryData<string> RecordedStreams(string provider)
    {
        var data = new TheoryData<string>();
        string? root = FixtureLocator.Find(null);
        if (root is null)
        {
            data.Add("(none)"); // xunit still wants one row
            return data;
        }
        foreach (var file in Directory.GetFiles(Path.Combine(root, provider), "*.sse").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }
        return data;
    }

    /// <summary>Asserts a stream that starts (200) and then has its connection aborted: reading it ends in an IOException.</summary>
    public static async Task AssertConnectionResetAsync(HttpResponseMessage response)
    {
        Assert.Equal(200, (int)response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        });
    }
}

/// <summary>Skips when the shared recordings (../shared/fixtures) are not next to the checkout.</summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute()
    {
        if (FixtureLocator.Find(null) is null)
        {
            Skip = "shared fixtures not found (../shared/fixtures); set SWITCHBOARD_FIXTURES to run fixture replay tests";
        }
    }
}

/// <inheritdoc cref="FixtureFactAttribute"/>
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute()
    {
        if (FixtureLocator.Find(null) is null)
        {
            Skip = "shared fixtures not found (../shared/fixtures); set SWITCHBOARD_FIXTURES to run fixture replay tests";
        }
    }
}
