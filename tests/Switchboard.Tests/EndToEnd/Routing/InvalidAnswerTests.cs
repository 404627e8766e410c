using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>
/// CONTRACT §6: an upstream answer that is not valid in its own wire format is never relayed as a success. Before
/// anything reached the client it is a retryable failure (fail over, else 502 <c>upstream_invalid_response</c>);
/// after a stream started, the stream ends with an error event and the ledger records a failure.
/// </summary>
public sealed class InvalidAnswerTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    private const string OneAttempt = "routing: { max_attempts: 1 }";

    private static string Anthropic(string name, string mockUrl, string knobs) =>
        $"{name}: {{ type: anthropic, base_url: \"{mockUrl}{(knobs.Length > 0 ? "/_knobs/" + knobs : "")}\", api_key: \"{Key}\" }}";

    private static async Task<(HttpResponseMessage Response, string Body)> MessagesAsync(HttpClient http, bool stream)
    {
        var response = await http.PostAsync("/v1/messages", new StringContent(
            $$"""{"model":"m","max_tokens":200,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"say many words"}]}""",
            Encoding.UTF8, "application/json"));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.TryGetValues(name, out var v) ? v.Single() : "";

    [Theory]
    [InlineData("truncated")]
    [InlineData("html")]
    [InlineData("array")]
    [InlineData("empty")]
    public async Task An_invalid_openai_body_is_a_502_upstream_invalid_response_not_a_success(string kind)
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Provider("broken", mock.BaseUrl, $"invalid_body={kind}"), "m: [{ provider: broken, model: gpt-4o-mini }]", OneAttempt));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Equal("upstream_invalid_response", answer.Json.GetProperty("error").GetProperty("code").GetString());
        var row = await AdminLog.RowAsync(gateway, answer.Header("x-request-id"));
        Assert.Equal(502, row.GetProperty("status").GetInt32());
        Assert.Equal("upstream_invalid_response", row.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task An_invalid_openai_body_fails_over_to_the_next_deployment()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Provider("broken", mock.BaseUrl, "invalid_body=truncated") + "\n" + Provider("healthy", mock.BaseUrl),
            """
            m:
              strategy: priority
              deployments:
                - { provider: broken, model: gpt-4o-mini }
                - { provider: healthy, model: gpt-4o-mini }
            """));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        Assert.Equal("ok", Verdict(answer, stream: false));
        var row = await AdminLog.RowAsync(gateway, answer.Header("x-request-id"));
        Assert.Equal("broken:502,healthy:200", row.GetProperty("attempt_log").GetString());
    }

    [Fact]
    public async Task An_invalid_embeddings_body_is_not_relayed_either()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Provider("broken", mock.BaseUrl, "invalid_body=html"), "e: [{ provider: broken, model: text-embedding-3-small }]", OneAttempt));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var response = await http.PostAsync("/v1/embeddings", new StringContent("""{"model":"e","input":"hi"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("upstream_invalid_response", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_shaped_but_invalid_openai_event_mid_stream_ends_the_stream_with_an_error_and_a_failed_ledger_row()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Provider("garbled", mock.BaseUrl, "garbage_after=2;garbage=shaped;words=30"), "m: [{ provider: garbled, model: gpt-4o-mini }]", OneAttempt));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.DoesNotContain("not json", answer.Body, StringComparison.Ordinal);
        Assert.Equal("explicit", Verdict(answer, stream: true));
        Assert.Equal(3, answer.Events.Count);
        Assert.Equal("upstream_invalid_response", JsonDocument.Parse(answer.Events[^1]).RootElement.GetProperty("error").GetProperty("code").GetString());
        var row = await AdminLog.RowAsync(gateway, answer.Header("x-request-id"));
        Assert.Equal(502, row.GetProperty("status").GetInt32());
        Assert.Equal("upstream_invalid_response", row.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task An_invalid_first_event_falls_over_invisibly()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Provider("garbled", mock.BaseUrl, "garbage_after=0;garbage=shaped") + "\n" + Provider("healthy", mock.BaseUrl),
            """
            m:
              strategy: priority
              deployments:
                - { provider: garbled, model: gpt-4o-mini }
                - { provider: healthy, model: gpt-4o-mini }
            """));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.Equal("ok", Verdict(answer, stream: true));
        Assert.Equal("2", answer.Header("x-switchboard-attempts"));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("array")]
    public async Task An_invalid_anthropic_body_on_the_passthrough_is_a_502_in_the_anthropic_shape(string kind)
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Anthropic("claude", mock.BaseUrl, $"invalid_body={kind}"), "m: [{ provider: claude, model: claude-sonnet-4-6 }]", OneAttempt));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var (response, body) = await MessagesAsync(http, stream: false);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("api_error", json.GetProperty("error").GetProperty("type").GetString());
        var row = await AdminLog.RowAsync(gateway, Header(response, "x-request-id"));
        Assert.Equal("upstream_invalid_response", row.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task An_object_shaped_but_invalid_anthropic_event_mid_stream_ends_with_an_error_event_and_a_failed_ledger_row()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Anthropic("claude", mock.BaseUrl, "garbage_after=3;garbage=shaped;words=30"), "m: [{ provider: claude, model: claude-sonnet-4-6 }]", OneAttempt));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var (response, body) = await MessagesAsync(http, stream: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("not json", body, StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", body, StringComparison.Ordinal);
        Assert.Contains("event: error", body, StringComparison.Ordinal);
        var row = await AdminLog.RowAsync(gateway, Header(response, "x-request-id"));
        Assert.Equal(502, row.GetProperty("status").GetInt32());
        Assert.Equal("upstream_invalid_response", row.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task An_invalid_count_tokens_answer_is_never_relayed_the_estimate_answers_instead()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Anthropic("claude", mock.BaseUrl, "invalid_body=html"), "m: [{ provider: claude, model: claude-sonnet-4-6 }]"));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var response = await http.PostAsync("/v1/messages/count_tokens", new StringContent(
            """{"model":"m","messages":[{"role":"user","content":"count me"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("estimated", Header(response, "x-switchboard-token-count"));
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("input_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Translated_an_invalid_anthropic_body_reaches_an_openai_client_as_a_502_upstream_invalid_response()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Anthropic("claude", mock.BaseUrl, "invalid_body=truncated"), "m: [{ provider: claude, model: claude-sonnet-4-6 }]", OneAttempt));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Equal("upstream_invalid_response", answer.Json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Translated_an_invalid_anthropic_event_mid_stream_ends_an_openai_stream_with_an_error()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Anthropic("claude", mock.BaseUrl, "garbage_after=4;garbage=shaped;words=30"), "m: [{ provider: claude, model: claude-sonnet-4-6 }]", OneAttempt));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.Equal("explicit", Verdict(answer, stream: true));
        Assert.Equal("upstream_invalid_response", JsonDocument.Parse(answer.Events[^1]).RootElement.GetProperty("error").GetProperty("code").GetString());
        var row = await AdminLog.RowAsync(gateway, answer.Header("x-request-id"));
        Assert.Equal(502, row.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Translated_an_invalid_openai_event_mid_stream_ends_an_anthropic_stream_with_an_error_event()
    {
        await using var gateway = await GatewayInstance.StartAsync(GatewayYaml(
            Provider("garbled", mock.BaseUrl, "garbage_after=2;garbage=shaped;words=30"), "m: [{ provider: garbled, model: gpt-4o-mini }]", OneAttempt));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var (response, body) = await MessagesAsync(http, stream: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(Sse.DataEvents(body), data => JsonDocument.Parse(data).Dispose()); // every event the client got is JSON
        Assert.DoesNotContain("message_stop", body, StringComparison.Ordinal);
        Assert.Contains("event: error", body, StringComparison.Ordinal);
        var row = await AdminLog.RowAsync(gateway, Header(response, "x-request-id"));
        Assert.Equal("upstream_invalid_response", row.GetProperty("error_code").GetString());
    }
}
