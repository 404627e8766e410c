using System.ClientModel;
using OpenAI.Chat;

namespace Switchboard.Tests.EndToEnd;

/// <summary>Every row of CONTRACT §3's error table, in the OpenAI dialect, with the SDK and with raw HTTP.</summary>
public sealed class ErrorTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => $$"""
          limited:  { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/status=429;retry_after=7/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          broken:   { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/status=500/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          badkey:   { type: openai, base_url: "{{Mock.BaseUrl}}/v1", api_key: "sk-wrong-provider-key-abcdef123456" }
          nowhere:  { type: openai, base_url: "http://127.0.0.1:9/v1", api_key: x, connect_timeout: 2s }
          slow:     { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/latency_ms=5000/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}", timeout: 500ms }
          cut:      { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/truncate_after=3/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          reset:    { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/reset_after=3/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          flaky:    { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/status=503/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    protected override string ExtraModels => """
          limited-model: [{ provider: limited, model: gpt-4o-mini }]
          broken-model: [{ provider: broken, model: gpt-4o-mini }]
          badkey-model: [{ provider: badkey, model: gpt-4o-mini }]
          nowhere-model: [{ provider: nowhere, model: gpt-4o-mini }]
          slow-model: [{ provider: slow, model: gpt-4o-mini }]
          cut-model: [{ provider: cut, model: gpt-4o-mini }]
          reset-model: [{ provider: reset, model: gpt-4o-mini }]
          failover-model:
            - { provider: flaky, model: gpt-4o-mini, weight: 1000000 }
            - { provider: mock, model: gpt-4o-mini, weight: 1 }
        """;

    private const string Hello = """{"model":"chat","messages":[{"role":"user","content":"hi"}]}""";

    [Theory]
    [InlineData("{not json", "parse the JSON body")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "you must provide a model parameter")]
    [InlineData("""{"model":"chat"}""", "Missing required parameter: 'messages'")]
    [InlineData("""{"model":"chat","messages":"hi"}""", "'messages' must be an array")]
    [InlineData("""{"model":42,"messages":[]}""", "'model' must be a string")]
    [InlineData("""{"model":"chat","messages":[],"stream":"yes"}""", "'stream' must be a boolean")]
    public async Task Malformed_requests_get_400_invalid_request_error(string body, string expected)
    {
        var (status, error, _) = await PostAsync(TestConfigs.AliceKey, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_validation_errors_keep_status_type_param_and_message()
    {
        var (status, error, _) = await PostAsync(TestConfigs.AliceKey,
            """{"model":"chat","messages":[{"role":"user","content":"hi"}],"bogus_field":1}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("bogus_field", error.GetProperty("param").GetString());
        Assert.Contains("Unrecognized request argument supplied: bogus_field", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "You didn't provide an API key")]
    [InlineData("sb-not-a-real-key", "Incorrect API key provided")]
    public async Task Missing_or_unknown_key_gets_401_invalid_api_key(string? key, string expected)
    {
        var (status, error, raw) = await PostAsync(key, Hello);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        if (key is not null) Assert.DoesNotContain(key, raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sdk_sees_401_as_a_client_result_exception()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Chat(key: "sb-wrong").CompleteChatAsync([new UserChatMessage("x")]));
        Assert.Equal(401, ex.Status);
    }

    [Theory]
    [InlineData(TestConfigs.AliceKey, "no-such-model")]
    [InlineData(TestConfigs.BobKey, "other")] // exists, but bob may only use "chat"
    public async Task Unknown_or_forbidden_model_gets_404_model_not_found(string key, string model)
    {
        var (status, error, _) = await PostAsync(key, $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal($"The model `{model}` does not exist or you do not have access to it.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Upstream_429_keeps_status_and_retry_after()
    {
        var (status, error, _, headers) = await PostWithHeadersAsync(TestConfigs.AliceKey, Hello.Replace("\"chat\"", "\"limited-model\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("upstream_error", error.GetProperty("type").GetString());
        Assert.Equal("7", headers.GetValues("Retry-After").Single());
        Assert.Contains("429", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_500_keeps_status_with_upstream_error_type()
    {
        var (status, error, _) = await PostAsync(TestConfigs.AliceKey, Hello.Replace("\"chat\"", "\"broken-model\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("upstream_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Upstream_rejecting_the_provider_key_is_a_502_and_never_echoes_the_key()
    {
        var (status, error, raw) = await PostAsync(TestConfigs.AliceKey, Hello.Replace("\"chat\"", "\"badkey-model\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("upstream_authentication_failed", error.GetProperty("code").GetString());
        Assert.DoesNotContain("sk-wrong", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("3456", raw, StringComparison.Ordinal); // the tail OpenAI would echo
        Assert.DoesNotContain(Gateway.Logs.Lines, l => l.Contains("sk-wrong-provider-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreachable_upstream_is_502_and_slow_upstream_is_504()
    {
        var (unreachable, e1, _) = await PostAsync(TestConfigs.AliceKey, Hello.Replace("\"chat\"", "\"nowhere-model\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadGateway, unreachable);
        Assert.Equal("upstream_unreachable", e1.GetProperty("code").GetString());

        var (slow, e2, _) = await PostAsync(TestConfigs.AliceKey, Hello.Replace("\"chat\"", "\"slow-model\"", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.GatewayTimeout, slow);
        Assert.Equal("upstream_timeout", e2.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("cut-model", "upstream_stream_truncated")]
    [InlineData("reset-model", "upstream_stream_broken")]
    public async Task A_stream_cut_after_it_started_ends_with_an_error_event_not_a_clean_end(string model, string code)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json($$"""
            {"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"a long answer please with many words"}]}
            """));
        var events = Sse.DataEvents(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, events.Count - 1); // the three relayed chunks, then the error
        Assert.DoesNotContain("[DONE]", events);
        var error = JsonDocument.Parse(events[^1]).RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Sdk_stream_cut_midway_never_looks_finished()
    {
        ChatFinishReason? finish = null;
        var text = "";
        var sawException = false;
        try
        {
            await foreach (var u in Chat("cut-model").CompleteChatStreamingAsync([new UserChatMessage("many many words here")]))
            {
                finish ??= u.FinishReason;
                foreach (var p in u.ContentUpdate) text += p.Text;
            }
        }
        catch (Exception)
        {
            sawException = true;
        }
        Assert.Null(finish);
        Assert.True(sawException || text.Length > 0);
    }

    [Fact]
    public async Task A_failing_deployment_falls_over_to_the_healthy_one_before_anything_is_sent()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json(Hello.Replace("\"chat\"", "\"failover-model\"", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("x-switchboard-attempts").Single());
        Assert.Equal("mock", response.Headers.GetValues("x-switchboard-provider").Single());

        var row = await AdminLog.RowAsync(Gateway, response.Headers.GetValues("x-request-id").Single());
        Assert.Equal(2, row.GetProperty("attempts").GetInt32());
        Assert.Equal("mock", row.GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_in_the_openai_error_shape_with_a_request_id()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.GetAsync("/v1/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(response.Headers.Contains("x-request-id"));
        Assert.Equal("invalid_request_error", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Admin_logs_need_the_master_key()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/logs")).StatusCode);
    }

    private async Task<(HttpStatusCode, JsonElement, string)> PostAsync(string? key, string body)
    {
        var (status, error, raw, _) = await PostWithHeadersAsync(key, body);
        return (status, error, raw);
    }

    private async Task<(HttpStatusCode, JsonElement, string, System.Net.Http.Headers.HttpResponseHeaders)> PostWithHeadersAsync(string? key, string body)
    {
        using var http = Gateway.Client(key);
        var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.Headers.Contains("x-request-id"));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(raw).RootElement.GetProperty("error"), raw, response.Headers);
    }
}
