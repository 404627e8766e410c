using OpenAI.Chat;

namespace Switchboard.Tests.EndToEnd;

/// <summary>Chat completions through the gateway with the official OpenAI .NET SDK, against the strict mock.</summary>
public sealed class ChatCompletionsTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    [Fact]
    public async Task Chat_answers_with_upstream_content_and_usage()
    {
        ChatCompletion answer = await Chat().CompleteChatAsync([new UserChatMessage("hello gateway")]);

        Assert.Equal("Echo: hello gateway", answer.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.True(answer.Usage.InputTokenCount > 0);
        Assert.Equal(answer.Usage.InputTokenCount + answer.Usage.OutputTokenCount, answer.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Upstream_gets_the_deployment_model_and_the_provider_key_never_the_client_key()
    {
        await Chat().CompleteChatAsync([new UserChatMessage("who am i")]);

        var seen = await Mock.LastRequestAsync();
        var body = JsonDocument.Parse(seen.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("gpt-4o-mini", body.GetProperty("model").GetString());
        var headers = seen.GetProperty("headers").ToString();
        Assert.Contains(MockUpstreamFixture.ProviderKey, headers, StringComparison.Ordinal);
        Assert.DoesNotContain(TestConfigs.AliceKey, headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_delivers_every_delta_in_order_with_usage_when_asked()
    {
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Chat().CompleteChatStreamingAsync(
            [new UserChatMessage("one two three four five")])) // the SDK always asks for include_usage
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal("Echo: one two three four five", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage!.OutputTokenCount > 0);
    }

    [Fact]
    public async Task Usage_chunk_the_client_did_not_ask_for_is_dropped_but_still_recorded()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json("""
            {"model":"chat","stream":true,"messages":[{"role":"user","content":"count my tokens"}]}
            """));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var chunks = Sse.JsonChunks(body);
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object));
        Assert.Equal("[DONE]", Sse.DataEvents(body)[^1]);

        // The gateway asked upstream for usage on the client's behalf...
        var upstreamBody = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
        Assert.True(upstreamBody.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        // ...and recorded it.
        var log = await AdminLogAsync(response.Headers.GetValues("x-request-id").Single());
        Assert.True(log.GetProperty("usage_reported").GetBoolean());
        Assert.True(log.GetProperty("completion_tokens").GetInt64() > 0);
    }

    [Fact]
    public async Task Tool_call_comes_back_with_name_and_arguments()
    {
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        ChatCompletion answer = await Chat().CompleteChatAsync([new UserChatMessage("weather in Paris?")],
            new ChatCompletionOptions { Tools = { tool } });

        Assert.Equal(ChatFinishReason.ToolCalls, answer.FinishReason);
        var call = Assert.Single(answer.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("sample", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streamed_parallel_tool_calls_keep_their_indexes_and_arguments()
    {
        ChatTool[] tools =
        [
            ChatTool.CreateFunctionTool("get_weather", null, BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")),
            ChatTool.CreateFunctionTool("get_time", null, BinaryData.FromString("""{"type":"object","properties":{"zone":{"type":"string","enum":["UTC","CET"]}},"required":["zone"]}""")),
        ];
        var options = new ChatCompletionOptions();
        foreach (var t in tools) options.Tools.Add(t);
        var names = new Dictionary<int, string>();
        var args = new Dictionary<int, System.Text.StringBuilder>();
        var ids = new Dictionary<int, string>();
        await foreach (var update in Chat().CompleteChatStreamingAsync([new UserChatMessage("use them in parallel")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.FunctionName is not null) names[call.Index] = call.FunctionName;
                if (call.ToolCallId is not null) ids[call.Index] = call.ToolCallId;
                if (!args.TryGetValue(call.Index, out var sb)) args[call.Index] = sb = new System.Text.StringBuilder();
                sb.Append(call.FunctionArgumentsUpdate?.ToString());
            }
        }

        Assert.Equal(["get_weather", "get_time"], names.OrderBy(kv => kv.Key).Select(kv => kv.Value));
        Assert.Equal(2, ids.Values.Distinct().Count());
        Assert.Equal("sample", JsonDocument.Parse(args[0].ToString()).RootElement.GetProperty("city").GetString());
        Assert.Equal("UTC", JsonDocument.Parse(args[1].ToString()).RootElement.GetProperty("zone").GetString());
    }

    [Fact]
    public async Task Multi_turn_tool_conversation_reaches_the_final_answer()
    {
        var tool = ChatTool.CreateFunctionTool("lookup", null, BinaryData.FromString("""{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };
        List<ChatMessage> messages = [new UserChatMessage("look it up")];
        ChatCompletion first = await Chat().CompleteChatAsync(messages, options);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(first.ToolCalls[0].Id, "42 degrees"));
        ChatCompletion second = await Chat().CompleteChatAsync(messages, options);

        Assert.Equal("The tool returned: 42 degrees", second.Content[0].Text);
    }

    [Fact]
    public async Task Json_schema_response_format_is_honoured()
    {
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person",
                BinaryData.FromString("""{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}"""),
                jsonSchemaIsStrict: true),
        };
        ChatCompletion answer = await Chat().CompleteChatAsync([new UserChatMessage("give me a person")], options);

        var json = JsonDocument.Parse(answer.Content[0].Text).RootElement;
        Assert.Equal(JsonValueKind.String, json.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("age").ValueKind);
        var sent = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
        Assert.Equal("json_schema", sent.GetProperty("response_format").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Image_parts_reach_the_upstream_and_count_as_input()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        ChatCompletion withImage = await Chat().CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("what is this"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))]);
        ChatCompletion without = await Chat().CompleteChatAsync([new UserChatMessage("what is this")]);

        Assert.True(withImage.Usage.InputTokenCount > without.Usage.InputTokenCount);
        var sent = (await Mock.RequestsAsync())[^2].GetProperty("body").GetString()!;
        Assert.Contains("data:image/png;base64,", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task N_choices_and_logprobs_pass_through()
    {
        var options = new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 2 };
        ChatCompletion answer = await Chat().CompleteChatAsync([new UserChatMessage("a b c")], options);
        Assert.NotEmpty(answer.ContentTokenLogProbabilities);
        Assert.Equal(2, answer.ContentTokenLogProbabilities[0].TopLogProbabilities.Count);

        using var http = Gateway.Client(TestConfigs.AliceKey);
        var raw = await http.PostAsync("/v1/chat/completions", Json("""{"model":"chat","n":3,"messages":[{"role":"user","content":"x"}]}"""));
        var choices = JsonDocument.Parse(await raw.Content.ReadAsStringAsync()).RootElement.GetProperty("choices");
        Assert.Equal([0, 1, 2], choices.EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
    }

    [Fact]
    public async Task Fields_the_gateway_does_not_model_are_relayed_byte_for_byte()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json("""
            {"seed":7,"model":"chat","metadata":{"team":"x"},"service_tier":"auto","prediction":{"type":"content","content":"Echo"},
             "messages":[{"role":"user","content":"keep my fields","name":"bob"}],"temperature":0.25,"user":"u-1"}
            """));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var sent = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;
        Assert.Equal(7, sent.GetProperty("seed").GetInt32());
        Assert.Equal("x", sent.GetProperty("metadata").GetProperty("team").GetString());
        Assert.Equal("auto", sent.GetProperty("service_tier").GetString());
        Assert.Equal("Echo", sent.GetProperty("prediction").GetProperty("content").GetString());
        Assert.Equal("bob", sent.GetProperty("messages")[0].GetProperty("name").GetString());
        Assert.Equal(0.25, sent.GetProperty("temperature").GetDouble());
        Assert.Equal("u-1", sent.GetProperty("user").GetString());
    }

    [Fact]
    public async Task Paths_without_v1_and_request_ids_work()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat/completions")
        {
            Content = Json("""{"model":"chat","messages":[{"role":"user","content":"no prefix"}]}"""),
        };
        request.Headers.Add("x-request-id", "trace-abc-123");
        var response = await http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode);
        // The gateway's own id keys the request; the client's is echoed beside it (issue 19).
        Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single(), StringComparison.Ordinal);
        Assert.Equal("trace-abc-123", response.Headers.GetValues("x-client-request-id").Single());
        var fresh = await http.PostAsync("/chat/completions", Json("""{"model":"chat","messages":[{"role":"user","content":"again"}]}"""));
        Assert.StartsWith("req_", fresh.Headers.GetValues("x-request-id").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generated_request_ids_are_unique_and_later_ones_sort_after_earlier_ones()
    {
        // Time-ordered ids keep the ledger's request_id index appending at its end (docs/storage.md).
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            if (i > 0) await Task.Delay(5); // a later millisecond
            var response = await http.PostAsync("/chat/completions", Json("""{"model":"chat","messages":[{"role":"user","content":"order"}]}"""));
            var id = response.Headers.GetValues("x-request-id").Single();
            Assert.Matches("^req_[0-9a-f]{32}$", id);
            ids.Add(id);
        }
        Assert.True(string.CompareOrdinal(ids[0], ids[1]) < 0 && string.CompareOrdinal(ids[1], ids[2]) < 0, string.Join(", ", ids));
    }

    [Fact]
    public async Task Azure_deployment_is_addressed_by_deployment_url_and_api_key_header()
    {
        ChatCompletion answer = await Chat("azure-chat").CompleteChatAsync([new UserChatMessage("hi azure")]);
        Assert.Equal("Echo: hi azure", answer.Content[0].Text);

        var seen = await Mock.LastRequestAsync();
        Assert.Equal("/openai/deployments/gpt-4o-mini/chat/completions", seen.GetProperty("path").GetString());
        Assert.Contains("api-version=2024-10-21", seen.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.Contains(MockUpstreamFixture.ProviderKey, seen.GetProperty("headers").ToString(), StringComparison.Ordinal);
    }

    private Task<JsonElement> AdminLogAsync(string requestId) => AdminLog.RowAsync(Gateway, requestId);
}
