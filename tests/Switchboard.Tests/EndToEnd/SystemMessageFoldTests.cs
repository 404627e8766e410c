namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Claude Code under a gateway alias sends mid-conversation <c>role: system</c> messages (it does not know the model
/// name); Claude models before Opus 4.8 refuse them with <c>400 messages: Unexpected role "system". Use the top-level
/// system parameter.</c> (the strict mock words it exactly so). The Anthropic passthrough folds them for those models.
/// </summary>
public sealed class SystemMessageFoldTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    private const string Refusal = "messages: Unexpected role \"system\". Use the top-level system parameter.";

    protected override string ExtraProviders => $$"""
          anthropic: { type: anthropic, base_url: "{{Mock.BaseUrl}}", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    protected override string ExtraModels => """
          cc-alias: [{ provider: anthropic, model: claude-sonnet-4-5 }]
          cc-keep: [{ provider: anthropic, model: claude-sonnet-4-5, system_messages: keep }]
          cc-opus: [{ provider: anthropic, model: claude-opus-4-8 }]
        """;

    /// <summary>What Claude Code sends for a model it does not know: a system message right after the user's turn.</summary>
    private static string ClaudeCodeBody(string model, bool stream = false) => $$$"""
        {"model":"{{{model}}}","max_tokens":32000,"stream":{{{(stream ? "true" : "false")}}},
         "system":[{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":"Say hello"},
                     {"role":"system","content":"# Environment\nToday's date is 2026-12-06."}]}
        """;

    [Fact]
    public async Task A_mid_conversation_system_message_through_an_alias_on_an_older_Claude_succeeds()
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages?beta=true", Json(ClaudeCodeBody("cc-alias")));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.StartsWith("Echo: ", JsonNode.Parse(text)!["content"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var sent = await SentBodyAsync();
        var messages = sent.GetProperty("messages");
        Assert.Equal(1, messages.GetArrayLength());
        var blocks = messages[0].GetProperty("content");
        Assert.Equal("Say hello", blocks[0].GetProperty("text").GetString());
        Assert.Equal("<system-reminder>\n# Environment\nToday's date is 2026-12-06.\n</system-reminder>", blocks[1].GetProperty("text").GetString());
        // The top-level system (the cached prefix) is sent as the client sent it.
        Assert.Equal("""[{"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}]""", sent.GetProperty("system").GetRawText());
    }

    [Fact]
    public async Task A_streamed_request_with_a_system_message_through_an_alias_succeeds()
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json(ClaudeCodeBody("cc-alias", stream: true)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("event: message_stop", text, StringComparison.Ordinal);
        Assert.DoesNotContain("event: error", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Count_tokens_with_a_system_message_through_an_alias_is_answered_by_Anthropic()
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages/count_tokens",
            Json("""{"model":"cc-alias","messages":[{"role":"user","content":"count"},{"role":"system","content":"be brief"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("x-switchboard-token-count"), "counted upstream, not estimated");
    }

    [Fact]
    public async Task A_model_that_takes_system_messages_gets_them_as_sent()
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json(ClaudeCodeBody("cc-opus")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = (await SentBodyAsync()).GetProperty("messages");
        Assert.Equal("system", messages[1].GetProperty("role").GetString());
    }

    [Fact]
    public async Task System_messages_keep_relays_them_and_the_upstream_refusal()
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json(ClaudeCodeBody("cc-keep")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Contains(Refusal, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> SentBodyAsync()
    {
        var seen = await Mock.LastRequestAsync();
        return JsonDocument.Parse(seen.GetProperty("body").GetString()!).RootElement;
    }
}
