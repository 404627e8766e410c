namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Points of issue 4's list that the matrix did not pin per path (see docs/translation-matrix.md): streams that fail
/// after they started, for an Anthropic client on the translated paths; top_k and stop sequences from an Anthropic
/// client on every upstream; consecutive same-role turns from an OpenAI client on the strict upstreams.
/// </summary>
public sealed class TranslationChecklistTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => AnthropicAndGeminiProviders + "\n" + $$"""
          openaicut: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/truncate_after=3/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          geminicut: { type: gemini, base_url: "{{Mock.BaseUrl}}/_knobs/truncate_after=1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          openaibroken: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/reset_after=3/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          geminigarbage: { type: gemini, base_url: "{{Mock.BaseUrl}}/_knobs/garbage_after=1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    protected override string ExtraModels => ModelPerUpstream + "\n" + """
          gpt-cut: [{ provider: openaicut, model: gpt-4o-mini }]
          gemini-cut: [{ provider: geminicut, model: gemini-2.5-flash-lite }]
          gpt-broken: [{ provider: openaibroken, model: gpt-4o-mini }]
          gemini-garbage: [{ provider: geminigarbage, model: gemini-2.5-flash-lite }]
        """;

    [Theory]
    [InlineData("gpt-cut")]
    [InlineData("gemini-cut")]
    [InlineData("gpt-broken")]
    [InlineData("gemini-garbage")]
    public async Task Anthropic_client_stream_that_fails_after_the_start_ends_with_an_error_event(string model)
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json($$"""
            {"model":"{{model}}","max_tokens":200,"stream":true,"messages":[{"role":"user","content":"a long answer with very many words in it please"}]}
            """));
        var raw = await response.Content.ReadAsStringAsync();
        var names = raw.Split("\n").Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..].Trim()).ToList();
        Assert.Equal("message_start", names[0]);
        Assert.Equal("error", names[^1]);
        Assert.DoesNotContain("message_stop", names);
        var error = Sse.JsonChunks(raw).Last();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("gpt")]
    [InlineData("claude")]
    [InlineData("gemini")]
    public async Task Anthropic_client_top_k_and_stop_sequences_reach_every_upstream(string model)
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json($$"""
            {"model":"{{model}}","max_tokens":50,"top_k":5,"temperature":0.5,"stop_sequences":["three"],
             "messages":[{"role":"user","content":"one two three four"}]}
            """));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var text = string.Concat(body["content"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "text").Select(b => b!["text"]!.GetValue<string>()));
        // The mock's OpenAI endpoint does not act on stop (only checks it); the other two stop before "three".
        Assert.Equal(model == "gpt" ? "Echo: one two three four" : "Echo: one two ", text);
        var sent = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
        switch (model)
        {
            case "gpt": // OpenAI has no top_k (it refuses the argument): dropped; stop kept.
                Assert.False(sent.TryGetProperty("top_k", out _));
                Assert.Equal("three", sent.GetProperty("stop")[0].GetString());
                break;
            case "claude":
                Assert.Equal(5, sent.GetProperty("top_k").GetInt32());
                Assert.Equal("stop_sequence", body["stop_reason"]!.GetValue<string>());
                break;
            case "gemini":
                Assert.Equal(5, sent.GetProperty("generationConfig").GetProperty("topK").GetInt32());
                Assert.Equal("three", sent.GetProperty("generationConfig").GetProperty("stopSequences")[0].GetString());
                break;
        }
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("gemini")]
    public async Task OpenAI_client_consecutive_user_messages_are_merged_for_strict_upstreams(string model)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json($$"""
            {"model":"{{model}}","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"first part"},
             {"role":"user","content":"second part"},{"role":"assistant","content":"ok"},{"role":"assistant","content":"and more"},
             {"role":"user","content":"last"}]}
            """));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var sent = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
        var turns = model == "claude" ? sent.GetProperty("messages") : sent.GetProperty("contents");
        Assert.Equal(3, turns.GetArrayLength());
    }
}
