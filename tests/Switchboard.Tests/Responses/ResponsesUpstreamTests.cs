using Switchboard.Tests.EndToEnd;
using Switchboard.Usage;

namespace Switchboard.Tests.Responses;

/// <summary>
/// The upstream side of the Responses API, gateway and strict mock in process: Responses clients relayed untranslated to
/// a provider with <c>responses: true</c> (OpenAI and Azure), and Chat Completions and Anthropic Messages clients
/// translated to the Responses API for an <c>api: responses</c> deployment.
/// </summary>
public sealed class ResponsesUpstreamTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    private const string Recorded = "openai-reasoning-encrypted-content.1";

    private string Provider(string name, string knobs, string extra = "") =>
        $$"""  {{name}}: { type: openai, base_url: "{{Mock.BaseUrl}}{{knobs}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}"{{extra}} }""" + "\n";

    protected override string ExtraProviders =>
        Provider("native", "", ", responses: true")
        + Provider("replay", $"/_knobs/fixture={Recorded}", ", responses: true")
        + Provider("slow", "/_knobs/chunk_delay_ms=200", ", responses: true")
        + Provider("reset", "/_knobs/reset_after=4", ", responses: true")
        + Provider("refusing", "/_knobs/error=context_length")
        + Provider("over-quota", "/_knobs/fixture=openai-error.1", ", responses: true")
        + AnthropicAndGeminiProviders;

    // "codex" sits on the plain mock provider (responses: false by default for a local URL): api: responses alone
    // makes every client go through the Responses API.
    protected override string ExtraModels => """
          native: [{ provider: native, model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 2 }]
          replayed: [{ provider: replay, model: gpt-4o }]
          slow: [{ provider: slow, model: gpt-4o-mini }]
          reset: [{ provider: reset, model: gpt-4o-mini }]
          over-quota: [{ provider: over-quota, model: gpt-4o-mini }]
          codex: [{ provider: mock, model: gpt-4o-mini, api: responses }]
          codex-refusing: [{ provider: refusing, model: gpt-4o-mini, api: responses }]
        """;

    private const string WeatherTool = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

    // ---- Responses clients, relayed ----

    [Fact]
    public async Task A_responses_request_is_relayed_with_only_the_model_replaced_and_its_usage_priced()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        const string body = """{"model":"native","input":[{"role":"user","content":"Hello there"}],"max_output_tokens":100,"metadata":{"k":"v"},"truncation":"auto","prompt_cache_key":"pk-1"}""";

        var response = await PostAsync(http, "/v1/responses", body);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await Mock.LastRequestAsync();
        Assert.Equal("/v1/responses", upstream.GetProperty("path").GetString());
        // Byte for byte, member order and all: nothing but the model is touched.
        Assert.Equal(body.Replace("\"native\"", "\"gpt-4o-mini\"", StringComparison.Ordinal), upstream.GetProperty("body").GetString());
        Assert.Equal("response", answer.GetProperty("object").GetString());
        Assert.Equal("Echo: Hello there", answer.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());

        var usage = answer.GetProperty("usage");
        var record = await RecordOfAsync(response);
        AssertLedger(record, "native", stream: false, usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal((record.Usage.PromptTokens * 1m + record.Usage.CompletionTokens * 2m) / 1_000_000m, record.CostUsd);
    }

    [Fact]
    public async Task A_background_request_runs_in_the_foreground_so_its_tokens_are_counted_and_its_answer_kept_complete()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);

        var response = await PostAsync(http, "/v1/responses", """{"model":"native","background":true,"input":"Hello there"}""");
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var upstream = JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;

        // Relayed as sent, the upstream would have answered "queued" with no usage: nothing to bill, a stored copy
        // that never completes.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(upstream.TryGetProperty("background", out _));
        Assert.Equal("Hello there", upstream.GetProperty("input").GetString());
        Assert.Equal("completed", answer.GetProperty("status").GetString());
        var usage = answer.GetProperty("usage");
        AssertLedger(await RecordOfAsync(response), "native", stream: false, usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64());
        var fetched = await http.GetAsync($"/v1/responses/{answer.GetProperty("id").GetString()}");
        Assert.Equal("completed", JsonDocument.Parse(await fetched.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [SharedFixtureFact]
    public async Task A_recorded_responses_stream_reaches_the_client_event_for_event_with_usage_from_response_completed()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);

        var response = await PostAsync(http, "/v1/responses", """{"model":"replayed","stream":true,"input":"What is 12 times 7? Use the calculator."}""");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var turn = FirstRecordedTurn();
        Assert.Equal(turn, Sse.DataEvents(text));
        // Each event keeps its name, the same as its type.
        var names = text.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l["event: ".Length..]).ToList();
        Assert.Equal(turn.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()), names);
        Assert.Equal("gpt-4o", JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement.GetProperty("model").GetString());

        var completed = JsonDocument.Parse(turn[^1]).RootElement;
        Assert.Equal("response.completed", completed.GetProperty("type").GetString());
        var usage = completed.GetProperty("response").GetProperty("usage");
        AssertLedger(await RecordOfAsync(response), "replay", stream: true, usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64());
    }

    [SharedFixtureFact]
    public async Task A_recorded_error_mid_stream_reaches_the_responses_client_and_the_ledger_as_a_failure()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);

        var response = await PostAsync(http, "/v1/responses", """{"model":"over-quota","stream":true,"input":"Hi"}""");
        var events = Sse.DataEvents(await response.Content.ReadAsStringAsync()).Select(e => JsonDocument.Parse(e).RootElement).ToList();

        // The stream had started (response.created went out at once): the client learns of the failure in the stream.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("response.created", events[0].GetProperty("type").GetString());
        var error = Assert.Single(events, e => e.GetProperty("type").GetString() == "error");
        Assert.Equal("insufficient_quota", error.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(events, e => e.GetProperty("type").GetString() == "response.completed");
        var record = await RecordOfAsync(response);
        Assert.Equal(("responses", "over-quota"), (record.Endpoint, record.Provider));
        Assert.NotEqual(200, record.Status);
    }

    [Fact]
    public async Task A_relayed_stream_whose_connection_breaks_ends_with_an_error_numbered_after_the_last_event()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);

        var response = await PostAsync(http, "/v1/responses", """{"model":"reset","stream":true,"input":"one two three four five six"}""");
        var text = await response.Content.ReadAsStringAsync();
        var events = Sse.DataEvents(text).Select(e => JsonDocument.Parse(e).RootElement).ToList();

        // Four events came through before the upstream dropped the connection; the fifth is the gateway's error.
        Assert.Equal(5, events.Count);
        var error = events[^1];
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Contains("event: error\n", text, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 5), events.Select(e => e.GetProperty("sequence_number").GetInt32()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("error").GetProperty("message").GetString()));
        Assert.DoesNotContain(events, e => e.GetProperty("type").GetString() == "response.completed");
        Assert.NotEqual(200, (await RecordOfAsync(response)).Status);
    }

    [Fact]
    public async Task Relayed_responses_events_reach_the_client_while_the_upstream_is_still_streaming()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var completedBefore = (await Mock.StatsAsync()).GetProperty("streams_completed").GetInt32();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses")
        {
            Content = Json("""{"model":"slow","stream":true,"input":"one two three four five six"}"""),
        };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: response.created", await reader.ReadLineAsync());
        // The mock waits 200 ms between events: its stream cannot be over when the first one has arrived.
        Assert.Equal(completedBefore, (await Mock.StatsAsync()).GetProperty("streams_completed").GetInt32());

        var rest = await reader.ReadToEndAsync();
        Assert.Contains("event: response.completed", rest, StringComparison.Ordinal);
        Assert.Equal("/v1/responses", (await Mock.LastRequestAsync()).GetProperty("path").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_azure_provider_relays_responses_to_its_v1_api_with_its_api_key(bool stream)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var body = $$"""{"model":"azure-chat","stream":{{(stream ? "true" : "false")}},"input":"Hi Azure"}""";

        var response = await PostAsync(http, "/v1/responses", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await Mock.LastRequestAsync();
        Assert.Equal("/openai/v1/responses", upstream.GetProperty("path").GetString());
        Assert.Equal(MockUpstreamFixture.ProviderKey, upstream.GetProperty("headers").GetProperty("api-key").GetString());
        Assert.False(upstream.GetProperty("headers").TryGetProperty("authorization", out _));
        // Azure's body names the deployment.
        Assert.Equal(body.Replace("\"azure-chat\"", "\"gpt-4o-mini\"", StringComparison.Ordinal), upstream.GetProperty("body").GetString());

        var final = stream
            ? JsonDocument.Parse(Sse.DataEvents(text)[^1]).RootElement.GetProperty("response")
            : JsonDocument.Parse(text).RootElement;
        Assert.Equal("completed", final.GetProperty("status").GetString());
        var usage = final.GetProperty("usage");
        AssertLedger(await RecordOfAsync(response), "azure", stream, usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64());
    }

    // ---- Chat Completions and Anthropic clients, translated to an api: responses deployment ----

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_chat_client_calls_a_tool_and_gets_its_answer_through_the_responses_api(bool stream)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var tools = $$$"""[{"type":"function","function":{"name":"get_weather","description":"Weather by city","parameters":{{{WeatherTool}}}}}]""";
        var user = """{"role":"user","content":"Weather in Paris?"}""";
        var streamMember = stream ? ""","stream":true,"stream_options":{"include_usage":true}""" : "";

        var first = await PostAsync(http, "/v1/chat/completions", $$"""{"model":"codex"{{streamMember}},"tools":{{tools}},"messages":[{{user}}]}""");
        var call = await ChatAnswerAsync(first, stream);

        var sent = await AssertToolCalledAsync(first, call, "tool_calls");
        Assert.Equal("gpt-4o-mini", sent.GetProperty("model").GetString());
        // Chat's nested function tool, flat as the Responses API has it.
        Assert.Equal("get_weather", sent.GetProperty("tools")[0].GetProperty("name").GetString());
        Assert.StartsWith("call_", call.ToolCallId, StringComparison.Ordinal);

        var assistant = $$$"""{"role":"assistant","content":null,"tool_calls":[{"id":"{{{call.ToolCallId}}}","type":"function","function":{"name":"get_weather","arguments":{{{JsonSerializer.Serialize(call.Arguments)}}}}}]}""";
        var result = $$"""{"role":"tool","tool_call_id":"{{call.ToolCallId}}","content":"18C and sunny"}""";
        var second = await PostAsync(http, "/v1/chat/completions", $$"""{"model":"codex"{{streamMember}},"tools":{{tools}},"messages":[{{user}},{{assistant}},{{result}}]}""");
        var answer = await ChatAnswerAsync(second, stream);

        await AssertToolResultAnsweredAsync(second, answer, "chat.completions", "stop");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_anthropic_client_calls_a_tool_and_gets_its_answer_through_the_responses_api(bool stream)
    {
        using var http = AnthropicHttp();
        var tools = $$$"""[{"name":"get_weather","description":"Weather by city","input_schema":{{{WeatherTool}}}}]""";
        var user = """{"role":"user","content":"Weather in Paris?"}""";
        var streamMember = stream ? ""","stream":true""" : "";

        var first = await PostAsync(http, "/v1/messages", $$"""{"model":"codex","max_tokens":300{{streamMember}},"tools":{{tools}},"messages":[{{user}}]}""");
        var call = await MessagesAnswerAsync(first, stream);

        await AssertToolCalledAsync(first, call, "tool_use");

        // The call as the assistant turn, its result in the next user turn.
        var toolTurns = $$$"""
            {"role":"assistant","content":[{"type":"tool_use","id":"{{{call.ToolCallId}}}","name":"get_weather","input":{{{call.Arguments}}}}]},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{call.ToolCallId}}}","content":"18C and sunny"}]}
            """;
        var second = await PostAsync(http, "/v1/messages", $$"""{"model":"codex","max_tokens":300{{streamMember}},"tools":{{tools}},"messages":[{{user}},{{toolTurns}}]}""");

        await AssertToolResultAnsweredAsync(second, await MessagesAnswerAsync(second, stream), "messages", "end_turn");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_responses_api_refusal_reaches_a_chat_client_in_the_chat_shape(bool stream)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);

        var response = await PostAsync(http, "/v1/chat/completions",
            $$"""{"model":"codex-refusing","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"A very long prompt"}]}""");
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("/v1/responses", (await Mock.LastRequestAsync()).GetProperty("path").GetString());
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("context", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    // ---- helpers ----

    /// <summary>The first turn went to the Responses API and came back as a call of get_weather; returns the body sent up.</summary>
    private async Task<JsonElement> AssertToolCalledAsync(HttpResponseMessage response, Answer call, string finishReason)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = await Mock.LastRequestAsync();
        Assert.Equal("/v1/responses", upstream.GetProperty("path").GetString());
        Assert.Equal(finishReason, call.FinishReason);
        Assert.Equal("get_weather", call.ToolName);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(call.Arguments!).RootElement.ValueKind);
        return JsonDocument.Parse(upstream.GetProperty("body").GetString()!).RootElement;
    }

    /// <summary>The second turn: the upstream's answer to the tool result reached the client, and the ledger has its usage.</summary>
    private async Task AssertToolResultAnsweredAsync(HttpResponseMessage response, Answer answer, string endpoint, string finishReason)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("The tool returned: 18C and sunny", answer.Text);
        Assert.Equal(finishReason, answer.FinishReason);
        var record = await RecordOfAsync(response);
        Assert.Equal((endpoint, "mock", 200), (record.Endpoint, record.Provider, record.Status));
        Assert.True(record.Usage.PromptTokens > 0 && record.Usage.CompletionTokens > 0, $"usage {record.Usage}");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string body) => await http.PostAsync(path, Json(body));

    /// <summary>What a client read from an answer, streamed or not.</summary>
    private sealed record Answer(string? Text, string? FinishReason, string? ToolCallId, string? ToolName, string? Arguments);

    private static async Task<Answer> ChatAnswerAsync(HttpResponseMessage response, bool stream)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!stream)
        {
            var choice = JsonDocument.Parse(text).RootElement.GetProperty("choices")[0];
            var message = choice.GetProperty("message");
            var call = message.TryGetProperty("tool_calls", out var calls) ? calls[0] : (JsonElement?)null;
            return new Answer(message.GetProperty("content").ValueKind == JsonValueKind.String ? message.GetProperty("content").GetString() : null,
                choice.GetProperty("finish_reason").GetString(), call?.GetProperty("id").GetString(),
                call?.GetProperty("function").GetProperty("name").GetString(), call?.GetProperty("function").GetProperty("arguments").GetString());
        }
        var content = new StringBuilder();
        var arguments = new StringBuilder();
        string? finish = null, id = null, name = null;
        foreach (var chunk in Sse.JsonChunks(text))
        {
            if (chunk.GetProperty("choices").GetArrayLength() == 0) continue; // the usage chunk
            var choice = chunk.GetProperty("choices")[0];
            var delta = choice.GetProperty("delta");
            if (delta.TryGetProperty("content", out var part) && part.ValueKind == JsonValueKind.String) content.Append(part.GetString());
            if (delta.TryGetProperty("tool_calls", out var calls))
            {
                var call = calls[0];
                if (call.TryGetProperty("id", out var callId)) id = callId.GetString();
                var function = call.GetProperty("function");
                if (function.TryGetProperty("name", out var callName)) name = callName.GetString();
                if (function.TryGetProperty("arguments", out var fragment)) arguments.Append(fragment.GetString());
            }
            if (choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String) finish = reason.GetString();
        }
        return new Answer(content.Length > 0 ? content.ToString() : null, finish, id, name, id is null ? null : arguments.ToString());
    }

    private static async Task<Answer> MessagesAnswerAsync(HttpResponseMessage response, bool stream)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!stream)
        {
            var message = JsonDocument.Parse(text).RootElement;
            var blocks = message.GetProperty("content").EnumerateArray().ToList();
            var call = blocks.Cast<JsonElement?>().FirstOrDefault(b => b!.Value.GetProperty("type").GetString() == "tool_use");
            var said = string.Concat(blocks.Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString()));
            return new Answer(said.Length > 0 ? said : null, message.GetProperty("stop_reason").GetString(), call?.GetProperty("id").GetString(),
                call?.GetProperty("name").GetString(), call?.GetProperty("input").GetRawText());
        }
        var content = new StringBuilder();
        var arguments = new StringBuilder();
        string? finish = null, id = null, name = null;
        foreach (var chunk in Sse.JsonChunks(text))
        {
            switch (chunk.GetProperty("type").GetString())
            {
                case "content_block_start" when chunk.GetProperty("content_block").GetProperty("type").GetString() == "tool_use":
                    id = chunk.GetProperty("content_block").GetProperty("id").GetString();
                    name = chunk.GetProperty("content_block").GetProperty("name").GetString();
                    break;
                case "content_block_delta":
                    var delta = chunk.GetProperty("delta");
                    if (delta.TryGetProperty("text", out var part)) content.Append(part.GetString());
                    if (delta.TryGetProperty("partial_json", out var fragment)) arguments.Append(fragment.GetString());
                    break;
                case "message_delta":
                    finish = chunk.GetProperty("delta").GetProperty("stop_reason").GetString();
                    break;
            }
        }
        return new Answer(content.Length > 0 ? content.ToString() : null, finish, id, name, id is null ? null : arguments.ToString());
    }

    /// <summary>The recording's first stream (its first turn): lines from the first <c>response.created</c> to the next.</summary>
    private static List<string> FirstRecordedTurn()
    {
        var lines = File.ReadAllLines(SharedFixtures.PathOf(Path.Combine("openai-responses", Recorded + ".chunks.txt"))).Where(l => l.Length > 0).ToList();
        var next = lines.FindIndex(1, l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString() == "response.created");
        return next < 0 ? lines : lines[..next];
    }

    /// <summary>The ledger's record of the request that got <paramref name="response"/>.</summary>
    private Task<UsageRecord> RecordOfAsync(HttpResponseMessage response) => Gateway.RecordOfAsync(response.Headers.GetValues("x-request-id").Single());

    private static void AssertLedger(UsageRecord record, string provider, bool stream, long inputTokens, long outputTokens)
    {
        Assert.Equal(("responses", provider, 200, stream), (record.Endpoint, record.Provider, record.Status, record.Stream));
        Assert.Equal((inputTokens, outputTokens), (record.Usage.PromptTokens, record.Usage.CompletionTokens));
        Assert.False(record.UsageMissing);
    }
}
