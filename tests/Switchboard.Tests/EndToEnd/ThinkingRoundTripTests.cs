namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Multi-turn thinking with tools through an OpenAI-dialect client: the upstream's thinking signatures must come
/// back to it on the next turn, or the strict mock (like the real APIs) refuses the conversation. The client here
/// echoes the assistant message exactly as it received it, as OpenAI-style agents do.
/// </summary>
public sealed class ThinkingRoundTripTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => AnthropicAndGeminiProviders;

    protected override string ExtraModels => """
          claude-thinking: [{ provider: anthropic, model: claude-sonnet-4-5 }]
          gemini-thinking: [{ provider: gemini, model: gemini-2.5-flash }]
        """;

    [Theory]
    [InlineData("claude-thinking")]
    [InlineData("gemini-thinking")]
    public async Task Tool_conversation_with_thinking_keeps_signatures_across_turns(string model)
    {
        var tools = JsonNode.Parse("""[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}]""");
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "look it up" });
        var first = await ChatAsync(model, messages, tools);
        var assistant = first["choices"]![0]!["message"]!;
        var call = assistant["tool_calls"]![0]!;
        Assert.Equal("lookup", call["function"]!["name"]!.GetValue<string>());

        messages.Add(assistant.DeepClone());
        messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = call["id"]!.GetValue<string>(), ["content"] = "found it" });
        var second = await ChatAsync(model, messages, tools);

        Assert.Contains("found it", second["choices"]![0]!["message"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        if (model == "claude-thinking")
        {
            // The turn went with thinking on, its assistant message opening with the thinking block it came with.
            var sent = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
            Assert.True(sent.TryGetProperty("thinking", out _));
            Assert.Equal("thinking", sent.GetProperty("messages")[1].GetProperty("content")[0].GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task Without_the_thinking_block_the_tool_turn_goes_with_thinking_off_and_says_so()
    {
        // The negative control: the same conversation without the thinking the gateway returned cannot go with
        // thinking on (Anthropic refuses it, as the strict mock does); it goes with thinking off and the client is told.
        var tools = JsonNode.Parse("""[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}]""");
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "look it up" });
        var first = await ChatAsync("claude-thinking", messages, tools);
        var call = first["choices"]![0]!["message"]!["tool_calls"]![0]!;
        messages.Add(new JsonObject { ["role"] = "assistant", ["tool_calls"] = new JsonArray(call.DeepClone()) });
        messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = call["id"]!.GetValue<string>(), ["content"] = "found it" });

        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json(Body("claude-thinking", messages, tools).ToJsonString()));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("reasoning_effort", string.Join(",", response.Headers.GetValues("x-switchboard-adjusted")));
        var sent = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
        Assert.False(sent.TryGetProperty("thinking", out _));
    }

    private static JsonObject Body(string model, JsonArray messages, JsonNode? tools) => new()
    {
        ["model"] = model,
        ["reasoning_effort"] = "low",
        ["max_completion_tokens"] = 4000,
        ["messages"] = messages.DeepClone(),
        ["tools"] = tools?.DeepClone(),
    };

    private async Task<JsonNode> ChatAsync(string model, JsonArray messages, JsonNode? tools)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json(Body(model, messages, tools).ToJsonString()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}
