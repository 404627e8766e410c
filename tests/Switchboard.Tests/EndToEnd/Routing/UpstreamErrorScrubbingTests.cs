using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>
/// CONTRACT §6 on the passthrough paths: an upstream error that echoes the provider key — mid-stream or as an error
/// body, OpenAI or Anthropic — reaches the client (and the log) without it. The provider key is deliberately not
/// key-shaped, so only the exact-key scrub can catch it.
/// </summary>
public sealed class UpstreamErrorScrubbingTests(UnshapedKeyMockFixture mock) : IClassFixture<UnshapedKeyMockFixture>
{
    private const string ProviderKey = UnshapedKeyMockFixture.Key;

    private Task<GatewayInstance> GatewayAsync(string type, string model, string knobs) => StartAsync(
        $"leaky: {{ type: {type}, base_url: \"{mock.BaseUrl}/_knobs/{knobs}{(type == "openai" ? "/v1" : "")}\", api_key: \"{ProviderKey}\" }}",
        $"m: [{{ provider: leaky, model: {model} }}]", OneAttempt);

    private static void AssertNoKey(GatewayInstance gateway, string body)
    {
        Assert.DoesNotContain(ProviderKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderKey, string.Join("\n", gateway.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mid_stream_openai_error_event_echoing_the_provider_key_reaches_the_client_scrubbed()
    {
        await using var gateway = await GatewayAsync("openai", "gpt-4o-mini", "error_after=2;echo_key=1;words=30");
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        AssertNoKey(gateway, answer.Body);
        Assert.Equal("explicit", Verdict(answer, stream: true));
        Assert.Equal(3, answer.Events.Count); // two chunks, then the upstream's error, in its own shape
        var error = JsonDocument.Parse(answer.Events[^1]).RootElement.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Contains("[redacted]", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var row = await answer.RowAsync(gateway);
        Assert.Equal(502, row.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_mid_stream_anthropic_error_event_echoing_the_provider_key_reaches_the_client_scrubbed()
    {
        await using var gateway = await GatewayAsync("anthropic", "claude-sonnet-4-6", "error_after=3;echo_key=1;words=30");
        using var http = gateway.Client(TestConfigs.MasterKey);

        var response = await http.PostAsync("/v1/messages", new StringContent(
            """{"model":"m","max_tokens":200,"stream":true,"messages":[{"role":"user","content":"say many words"}]}""",
            Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        AssertNoKey(gateway, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("message_stop", body, StringComparison.Ordinal);
        var last = body.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split("\n\n")[^1];
        Assert.StartsWith("event: error\ndata: ", last, StringComparison.Ordinal);
        var error = JsonDocument.Parse(last["event: error\ndata: ".Length..]).RootElement;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("overloaded_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("[redacted]", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai", "gpt-4o-mini", "/v1/chat/completions", 500)]
    [InlineData("openai", "gpt-4o-mini", "/v1/chat/completions", 400)]
    [InlineData("anthropic", "claude-sonnet-4-6", "/v1/messages", 529)]
    [InlineData("anthropic", "claude-sonnet-4-6", "/v1/messages", 400)]
    public async Task An_error_body_echoing_the_provider_key_reaches_the_client_scrubbed(string type, string model, string path, int status)
    {
        await using var gateway = await GatewayAsync(type, model, $"status={status};echo_key=1");
        using var http = gateway.Client(TestConfigs.MasterKey);

        var response = await http.PostAsync(path, new StringContent(
            """{"model":"m","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        AssertNoKey(gateway, body);
        Assert.Contains("[redacted]", body, StringComparison.Ordinal);
        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task An_error_event_before_the_first_byte_falls_over_and_its_key_is_nowhere()
    {
        await using var gateway = await StartAsync(
            $"leaky: {{ type: openai, base_url: \"{mock.BaseUrl}/_knobs/error_after=0;echo_key=1/v1\", api_key: \"{ProviderKey}\" }}\n"
            + $"healthy: {{ type: openai, base_url: \"{mock.BaseUrl}/v1\", api_key: \"{ProviderKey}\" }}",
            PriorityModel("leaky", "healthy"));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        AssertNoKey(gateway, answer.Body);
        Assert.Equal("ok", Verdict(answer, stream: true));
        Assert.Equal("2", answer.Header("x-switchboard-attempts"));
    }
}
