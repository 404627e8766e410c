using Switchboard.Tests.EndToEnd;
using static Switchboard.Tests.Responses.ResponsesClient;

namespace Switchboard.Tests.Responses;

/// <summary>
/// <c>POST /v1/responses</c> gets everything <c>/v1/chat/completions</c> gets: key auth and model access, bad input
/// refused with a 400 naming the parameter (never a 500), failover before the first byte, the ledger, request ids.
/// </summary>
public sealed class ResponsesPipelineTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => AnthropicAndGeminiProviders + "\n" + $$"""
          broken: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/status=500/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    protected override string ExtraModels => ModelPerUpstream + "\n" + """
          flaky:
            strategy: priority
            deployments:
              - { provider: broken, model: gpt-4o-mini }
              - { provider: anthropic, model: claude-sonnet-4-5 }
        """;

    private async Task<ResponsesAnswer> PostAsync(string body, string? key = TestConfigs.AliceKey)
    {
        using var http = Gateway.Client(key);
        return await ResponsesClient.PostAsync(http, body);
    }

    private static JsonElement Error(ResponsesAnswer answer)
    {
        var root = answer.Json;
        Assert.False(root.TryGetProperty("type", out _), "an OpenAI error has no top-level type");
        var error = root.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        return error;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sb-not-a-key")]
    public async Task A_missing_or_unknown_key_is_401_in_the_OpenAI_shape(string? key)
    {
        var answer = await PostAsync("""{"model":"gpt","input":"hi"}""", key);

        Assert.Equal(401, answer.Status);
        Assert.Equal("invalid_api_key", Error(answer).GetProperty("code").GetString());
        Assert.NotNull(answer.Header("x-request-id"));
    }

    [Fact]
    public async Task A_model_the_key_may_not_use_is_404_model_not_found()
    {
        var answer = await PostAsync("""{"model":"gpt","input":"hi"}""", TestConfigs.BobKey);

        Assert.Equal(404, answer.Status);
        Assert.Equal("model_not_found", Error(answer).GetProperty("code").GetString());
        var unknown = await PostAsync("""{"model":"no-such-model","input":"hi"}""");
        Assert.Equal(404, unknown.Status);
        Assert.Equal("model_not_found", Error(unknown).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"model":"gpt","input":""", null)]
    [InlineData("""[1,2]""", null)]
    [InlineData("""{"input":"hi"}""", "model")]
    [InlineData("""{"model":5,"input":"hi"}""", "model")]
    [InlineData("""{"model":"gpt"}""", "input")]
    [InlineData("""{"model":"gpt","input":5}""", "input")]
    [InlineData("""{"model":"gpt","input":[{"role":"robot","content":"hi"}]}""", "input[0].role")]
    [InlineData("""{"model":"gpt","input":[{"role":"user","content":[{"type":"input_video"}]}]}""", "input[0].content[0].type")]
    [InlineData("""{"model":"gpt","input":[{"type":"function_call","name":"f","arguments":"{}"}]}""", "input[0].call_id")]
    [InlineData("""{"model":"gpt","input":"hi","tools":{}}""", "tools")]
    [InlineData("""{"model":"gpt","input":"hi","tools":[{"type":"function"}]}""", "tools[0].name")]
    [InlineData("""{"model":"gpt","input":"hi","temperature":"hot"}""", "temperature")]
    [InlineData("""{"model":"gpt","input":"hi","temperature":3}""", "temperature")]
    [InlineData("""{"model":"gpt","input":"hi","max_output_tokens":"many"}""", "max_output_tokens")]
    [InlineData("""{"model":"gpt","input":"hi","text":{"format":{"type":"xml"}}}""", "text.format.type")]
    [InlineData("""{"model":"gpt","input":"hi","metadata":[]}""", "metadata")]
    [InlineData("""{"model":"gpt","messages":[{"role":"user","content":"hi"}]}""", "messages")]
    public async Task Bad_input_is_400_naming_the_parameter(string body, string? param)
    {
        var answer = await PostAsync(body);

        Assert.Equal(400, answer.Status);
        var error = Error(answer);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (param is not null) Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.NotNull(answer.Header("x-request-id"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_first_deployment_is_invisible_before_the_first_byte(bool stream)
    {
        var answer = await PostAsync($$"""{"model":"flaky","input":"fail over","stream":{{(stream ? "true" : "false")}}}""");

        Assert.Equal(200, answer.Status);
        Assert.Equal("Echo: fail over", answer.Text);
        Assert.Equal("2", answer.Header("x-switchboard-attempts"));
        Assert.Equal("anthropic", answer.Header("x-switchboard-provider"));
        if (stream)
        {
            AssertLifecycle(answer, "response.completed");
            Assert.DoesNotContain("error", answer.Types);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_ledger_records_endpoint_responses_with_tokens_and_cost(bool stream)
    {
        var answer = await PostAsync($$"""{"model":"chat","input":"count me in","stream":{{(stream ? "true" : "false")}}}""");
        Assert.Equal(200, answer.Status);
        var requestId = answer.Header("x-request-id");
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);

        Switchboard.Usage.UsageRecord? row = null;
        for (var i = 0; i < 100 && row is null; i++)
        {
            row = Gateway.Recorded().FirstOrDefault(r => r.RequestId == requestId);
            if (row is null) await Task.Delay(20);
        }
        Assert.NotNull(row);
        Assert.Equal("responses", row!.Endpoint);
        Assert.Equal("chat", row.Model);
        Assert.Equal(200, row.Status);
        Assert.Equal(stream, row.Stream);
        var usage = answer.Response.GetProperty("usage");
        Assert.Equal(usage.GetProperty("input_tokens").GetInt64(), row.Usage.PromptTokens);
        Assert.Equal(usage.GetProperty("output_tokens").GetInt64(), row.Usage.CompletionTokens);
        Assert.False(row.UsageMissing);
        // gpt-4o-mini at $0.15 / $0.60 per million tokens.
        var expected = (row.Usage.PromptTokens * 0.15m + row.Usage.CompletionTokens * 0.6m) / 1_000_000m;
        Assert.True(row.CostUsd is { } cost && Math.Abs(cost - expected) < 0.000_000_001m, $"cost {row.CostUsd}, expected {expected}");
    }
}
