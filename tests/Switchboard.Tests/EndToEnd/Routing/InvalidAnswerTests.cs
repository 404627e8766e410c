using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>
/// CONTRACT §6: an upstream answer that is not valid in its own wire format is never relayed as a success. Before
/// anything reached the client it is a retryable failure (fail over, else 502 <c>upstream_invalid_response</c>);
/// after a stream started, the stream ends with an error event and the ledger records a failure.
/// </summary>
public sealed class InvalidAnswerTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    [Theory]
    [InlineData("truncated")]
    [InlineData("html")]
    [InlineData("array")]
    [InlineData("empty")]
    public async Task An_invalid_openai_body_is_a_502_upstream_invalid_response_not_a_success(string kind)
    {
        await using var gateway = await StartAsync(
            Provider("broken", mock.BaseUrl, $"invalid_body={kind}"), OneDeployment("broken"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Equal("upstream_invalid_response", answer.ErrorCode);
        await answer.AssertRecordedFailureAsync(gateway, 502, "upstream_invalid_response");
    }

    [Fact]
    public async Task An_invalid_openai_body_fails_over_to_the_next_deployment()
    {
        await using var gateway = await StartAsync(
            Provider("broken", mock.BaseUrl, "invalid_body=truncated") + "\n" + Provider("healthy", mock.BaseUrl),
            PriorityModel("broken", "healthy"));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        Assert.Equal("ok", Verdict(answer, stream: false));
        Assert.Equal("broken:502,healthy:200", await answer.AttemptLogAsync(gateway));
    }

    [Fact]
    public async Task An_invalid_embeddings_body_is_not_relayed_either()
    {
        await using var gateway = await StartAsync(
            Provider("broken", mock.BaseUrl, "invalid_body=html"), "e: [{ provider: broken, model: text-embedding-3-small }]", OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var response = await http.PostAsync("/v1/embeddings", new StringContent("""{"model":"e","input":"hi"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("upstream_invalid_response", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_shaped_but_invalid_openai_event_mid_stream_ends_the_stream_with_an_error_and_a_failed_ledger_row()
    {
        await using var gateway = await StartAsync(
            Provider("garbled", mock.BaseUrl, "garbage_after=2;garbage=shaped;words=30"), OneDeployment("garbled"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.DoesNotContain("not json", answer.Body, StringComparison.Ordinal);
        Assert.Equal("explicit", Verdict(answer, stream: true));
        Assert.Equal(3, answer.Events.Count);
        Assert.Equal("upstream_invalid_response", answer.LastEventErrorCode);
        await answer.AssertRecordedFailureAsync(gateway, 502, "upstream_invalid_response");
    }

    [Fact]
    public async Task An_invalid_first_event_falls_over_invisibly()
    {
        await using var gateway = await StartAsync(
            Provider("garbled", mock.BaseUrl, "garbage_after=0;garbage=shaped") + "\n" + Provider("healthy", mock.BaseUrl),
            PriorityModel("garbled", "healthy"));
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
        await using var gateway = await StartAsync(
            AnthropicProvider("claude", mock.BaseUrl, $"invalid_body={kind}"), OneDeployment("claude", "claude-sonnet-4-6"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await MessagesAsync(http, stream: false);

        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        var json = answer.Json;
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("api_error", json.GetProperty("error").GetProperty("type").GetString());
        var row = await answer.RowAsync(gateway);
        Assert.Equal("upstream_invalid_response", row.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task An_object_shaped_but_invalid_anthropic_event_mid_stream_ends_with_an_error_event_and_a_failed_ledger_row()
    {
        await using var gateway = await StartAsync(
            AnthropicProvider("claude", mock.BaseUrl, "garbage_after=3;garbage=shaped;words=30"), OneDeployment("claude", "claude-sonnet-4-6"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await MessagesAsync(http, stream: true);

        AssertAnthropicStreamEndedWithAnError(answer);
        Assert.DoesNotContain("not json", answer.Body, StringComparison.Ordinal);
        await answer.AssertRecordedFailureAsync(gateway, 502, "upstream_invalid_response");
    }

    [Fact]
    public async Task An_invalid_count_tokens_answer_is_never_relayed_the_estimate_answers_instead()
    {
        await using var gateway = await StartAsync(
            AnthropicProvider("claude", mock.BaseUrl, "invalid_body=html"), OneDeployment("claude", "claude-sonnet-4-6"));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var response = await http.PostAsync("/v1/messages/count_tokens", new StringContent(
            """{"model":"m","messages":[{"role":"user","content":"count me"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("estimated", response.Headers.GetValues("x-switchboard-token-count").Single());
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("input_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Translated_an_invalid_anthropic_body_reaches_an_openai_client_as_a_502_upstream_invalid_response()
    {
        await using var gateway = await StartAsync(
            AnthropicProvider("claude", mock.BaseUrl, "invalid_body=truncated"), OneDeployment("claude", "claude-sonnet-4-6"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Equal("upstream_invalid_response", answer.ErrorCode);
    }

    [Fact]
    public async Task Translated_an_invalid_anthropic_event_mid_stream_ends_an_openai_stream_with_an_error()
    {
        await using var gateway = await StartAsync(
            AnthropicProvider("claude", mock.BaseUrl, "garbage_after=4;garbage=shaped;words=30"), OneDeployment("claude", "claude-sonnet-4-6"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.Equal("explicit", Verdict(answer, stream: true));
        Assert.Equal("upstream_invalid_response", answer.LastEventErrorCode);
        var row = await answer.RowAsync(gateway);
        Assert.Equal(502, row.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Translated_an_invalid_openai_event_mid_stream_ends_an_anthropic_stream_with_an_error_event()
    {
        await using var gateway = await StartAsync(
            Provider("garbled", mock.BaseUrl, "garbage_after=2;garbage=shaped;words=30"), OneDeployment("garbled"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await MessagesAsync(http, stream: true);

        AssertAnthropicStreamEndedWithAnError(answer);
        Assert.All(Sse.DataEvents(answer.Body), data => JsonDocument.Parse(data).Dispose()); // every event the client got is JSON
        var row = await answer.RowAsync(gateway);
        Assert.Equal("upstream_invalid_response", row.GetProperty("error_code").GetString());
    }
}
