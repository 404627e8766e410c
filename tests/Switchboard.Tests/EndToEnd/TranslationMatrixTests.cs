using OpenAI.Chat;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Every client dialect on every upstream wire, against the strict mock (which rejects what the real APIs reject,
/// including dropped thinking signatures): text, streams, tools, streamed tools, images, JSON schema, errors and a
/// multi-turn tool conversation. "gpt" is an OpenAI upstream, "claude" Anthropic, "gemini" Gemini.
/// </summary>
public sealed class TranslationMatrixTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    public static TheoryData<string> Upstreams => new() { "gpt", "claude", "gemini" };

    protected override string ExtraProviders => AnthropicAndGeminiProviders + "\n" + $$"""
          anthropic429: { type: anthropic, base_url: "{{Mock.BaseUrl}}/_knobs/status=429;retry_after=4", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          gemini429: { type: gemini, base_url: "{{Mock.BaseUrl}}/_knobs/status=429;retry_after=4", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          openai429: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/status=429;retry_after=4/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          anthropiccut: { type: anthropic, base_url: "{{Mock.BaseUrl}}/_knobs/truncate_after=4", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          geminicut: { type: gemini, base_url: "{{Mock.BaseUrl}}/_knobs/truncate_after=1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    protected override string ExtraModels => ModelPerUpstream + "\n" + """
          gpt-429: [{ provider: openai429, model: gpt-4o-mini }]
          claude-429: [{ provider: anthropic429, model: claude-sonnet-4-5 }]
          gemini-429: [{ provider: gemini429, model: gemini-2.5-flash-lite }]
          claude-cut: [{ provider: anthropiccut, model: claude-sonnet-4-5 }]
          gemini-cut: [{ provider: geminicut, model: gemini-2.5-flash-lite }]
        """;

    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "Weather for a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    private const string WeatherToolAnthropic = """{"name":"get_weather","description":"Weather for a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}""";

    // ---------------------------------------------------------------- OpenAI SDK as the client

    [Theory, MemberData(nameof(Upstreams))]
    public async Task OpenAI_client_text(string model)
    {
        ChatCompletion answer = await Chat(model).CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("hello matrix")]);
        Assert.Equal("Echo: hello matrix", answer.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.True(answer.Usage.InputTokenCount > 0 && answer.Usage.OutputTokenCount > 0);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task OpenAI_client_stream_with_usage(string model)
    {
        var text = "";
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Chat(model).CompleteChatStreamingAsync([new UserChatMessage("stream one two three")]))
        {
            foreach (var part in update.ContentUpdate) text += part.Text;
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }
        Assert.Equal("Echo: stream one two three", text);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage!.OutputTokenCount > 0);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task OpenAI_client_tool_call_then_answer(string model)
    {
        var options = new ChatCompletionOptions { Tools = { Weather } };
        List<ChatMessage> messages = [new UserChatMessage("weather in Paris?")];
        ChatCompletion first = await Chat(model).CompleteChatAsync(messages, options);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("sample", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18 degrees"));
        ChatCompletion second = await Chat(model).CompleteChatAsync(messages, options);
        Assert.StartsWith("The tool returned: ", second.Content[0].Text, StringComparison.Ordinal);
        Assert.Contains("18 degrees", second.Content[0].Text, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task OpenAI_client_streamed_tool_call(string model)
    {
        string? name = null, id = null;
        var args = "";
        ChatFinishReason? finish = null;
        await foreach (var update in Chat(model).CompleteChatStreamingAsync([new UserChatMessage("weather?")], new ChatCompletionOptions { Tools = { Weather } }))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                Assert.Equal(0, call.Index);
                name ??= call.FunctionName;
                id ??= call.ToolCallId;
                args += call.FunctionArgumentsUpdate?.ToString();
            }
            finish ??= update.FinishReason;
        }
        Assert.Equal("get_weather", name);
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal("sample", JsonDocument.Parse(args).RootElement.GetProperty("city").GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task OpenAI_client_image_and_json_schema(string model)
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person",
                BinaryData.FromString("""{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}""")),
        };
        ChatCompletion answer = await Chat(model).CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("who is in this picture? answer as json"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))], options);

        var json = JsonDocument.Parse(answer.Content[0].Text).RootElement;
        Assert.Equal(JsonValueKind.String, json.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("age").ValueKind);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Contains("iVBORw0KGgo", (await Mock.LastRequestAsync()).GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task OpenAI_client_sees_upstream_429_with_retry_after(string model)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{model}}-429","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("4", response.Headers.GetValues("Retry-After").Single());
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("upstream_error", error.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("claude-cut")]
    [InlineData("gemini-cut")]
    public async Task OpenAI_client_stream_cut_upstream_ends_with_an_error_event(string model)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json($$"""
            {"model":"{{model}}","stream":true,"messages":[{"role":"user","content":"a long answer with very many words in it please"}]}
            """));
        var events = Sse.DataEvents(await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("[DONE]", events);
        Assert.Equal("upstream_stream_truncated", JsonDocument.Parse(events[^1]).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    // ---------------------------------------------------------------- Anthropic dialect as the client (raw wire)

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Anthropic_client_text(string model)
    {
        var (status, body) = await MessagesAsync($$"""
            {"model":"{{model}}","max_tokens":200,"system":"Be brief.","messages":[{"role":"user","content":"hello claude dialect"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("message", body["type"]!.GetValue<string>());
        Assert.Equal("assistant", body["role"]!.GetValue<string>());
        Assert.Equal("Echo: hello claude dialect", body["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", body["stop_reason"]!.GetValue<string>());
        Assert.True(body["usage"]!["input_tokens"]!.GetValue<int>() > 0);
        Assert.True(body["usage"]!["output_tokens"]!.GetValue<int>() > 0);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Anthropic_client_stream_has_the_real_event_sequence(string model)
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json($$"""
            {"model":"{{model}}","max_tokens":200,"stream":true,"messages":[{"role":"user","content":"stream me please"}]}
            """));
        var raw = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = raw.Split("\n").Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..].Trim()).Where(n => n != "ping").ToList();
        Assert.Equal("message_start", names[0]);
        Assert.Equal("message_stop", names[^1]);
        Assert.Equal("message_delta", names[^2]);
        Assert.Contains("content_block_start", names);
        var text = string.Concat(Sse.JsonChunks(raw).Where(e => e.GetProperty("type").GetString() == "content_block_delta")
            .Select(e => e.GetProperty("delta")).Where(d => d.GetProperty("type").GetString() == "text_delta").Select(d => d.GetProperty("text").GetString()));
        Assert.Equal("Echo: stream me please", text);
        var delta = Sse.JsonChunks(raw).Single(e => e.GetProperty("type").GetString() == "message_delta");
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.True(delta.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Anthropic_client_tool_use_then_tool_result(string model)
    {
        var (status, first) = await MessagesAsync($$"""
            {"model":"{{model}}","max_tokens":300,"tools":[{{WeatherToolAnthropic}}],"messages":[{"role":"user","content":"weather in Rome?"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("tool_use", first["stop_reason"]!.GetValue<string>());
        var toolUse = first["content"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "tool_use")!;
        Assert.Equal("get_weather", toolUse["name"]!.GetValue<string>());
        Assert.Equal("sample", toolUse["input"]!["city"]!.GetValue<string>());

        var conversation = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = 300,
            ["tools"] = new JsonArray(JsonNode.Parse(WeatherToolAnthropic)),
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "weather in Rome?" },
                new JsonObject { ["role"] = "assistant", ["content"] = first["content"]!.DeepClone() },
                new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "tool_result", ["tool_use_id"] = toolUse["id"]!.GetValue<string>(), ["content"] = "21 degrees",
                    }),
                }),
        };
        var (status2, second) = await MessagesAsync(conversation.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status2);
        var text = second["content"]![0]!["text"]!.GetValue<string>();
        Assert.StartsWith("The tool returned: ", text, StringComparison.Ordinal);
        Assert.Contains("21 degrees", text, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Anthropic_client_streamed_tool_use(string model)
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json($$"""
            {"model":"{{model}}","max_tokens":300,"stream":true,"tools":[{{WeatherToolAnthropic}}],"messages":[{"role":"user","content":"weather?"}]}
            """));
        var chunks = Sse.JsonChunks(await response.Content.ReadAsStringAsync());
        var start = chunks.Single(e => e.GetProperty("type").GetString() == "content_block_start"
            && e.GetProperty("content_block").GetProperty("type").GetString() == "tool_use");
        Assert.Equal("get_weather", start.GetProperty("content_block").GetProperty("name").GetString());
        var index = start.GetProperty("index").GetInt32();
        var json = string.Concat(chunks.Where(e => e.GetProperty("type").GetString() == "content_block_delta" && e.GetProperty("index").GetInt32() == index)
            .Select(e => e.GetProperty("delta").GetProperty("partial_json").GetString()));
        Assert.Equal("sample", JsonDocument.Parse(json).RootElement.GetProperty("city").GetString());
        Assert.Equal("tool_use", chunks.Single(e => e.GetProperty("type").GetString() == "message_delta").GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Anthropic_client_image(string model)
    {
        var (status, body) = await MessagesAsync($$$"""
            {"model":"{{{model}}}","max_tokens":100,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="}},
              {"type":"text","text":"what is it"}]}]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Echo: what is it", body["content"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("iVBORw0KGgo", (await Mock.LastRequestAsync()).GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Anthropic_client_errors_come_in_the_anthropic_shape(string model)
    {
        var (status, body) = await MessagesAsync($$"""{"model":"{{model}}-429","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("rate_limit_error", body["error"]!["type"]!.GetValue<string>());

        var (missing, notFound) = await MessagesAsync("""{"model":"no-such","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("not_found_error", notFound["error"]!["type"]!.GetValue<string>());

        using var anonymous = Gateway.Client();
        var unauthorized = await anonymous.PostAsync("/v1/messages", Json("""{"model":"claude","max_tokens":10,"messages":[]}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("authentication_error", JsonNode.Parse(await unauthorized.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anthropic_to_anthropic_is_relayed_without_translation()
    {
        using var http = AnthropicHttp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages?beta=true")
        {
            Content = Json("""{"model":"claude","max_tokens":50,"context_management":{"edits":[]},"messages":[{"role":"user","content":"keep it raw"}]}"""),
        };
        request.Headers.Add("anthropic-beta", "context-management-2025-06-27");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var seen = await Mock.LastRequestAsync();
        var sent = JsonDocument.Parse(seen.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("claude-sonnet-4-5", sent.GetProperty("model").GetString());
        Assert.True(sent.TryGetProperty("context_management", out _));
        Assert.Contains("context-management-2025-06-27", seen.GetProperty("headers").ToString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Upstreams))]
    public async Task Anthropic_count_tokens_answers_for_every_upstream(string model)
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages/count_tokens", Json($$$"""{"model":"{{{model}}}","messages":[{"role":"user","content":"count these words please"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["input_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Count_tokens_on_an_OpenAI_model_is_the_tokenizers_count()
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages/count_tokens", Json("""{"model":"gpt","messages":[{"role":"user","content":"count these words please"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // o200k_base (gpt-4o-mini): 3 per message + "user" (1) + "count these words please" (4) + 3 for the reply.
        Assert.Equal(11, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["input_tokens"]!.GetValue<int>());
        Assert.Equal("o200k_base", response.Headers.GetValues("x-switchboard-tokenizer").Single());
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> MessagesAsync(string json)
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json(json));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text) ?? throw new InvalidOperationException(text));
    }
}
