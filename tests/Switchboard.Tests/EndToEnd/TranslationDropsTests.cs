using System.Text.Json.Nodes;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 26: what a client asks for is never lost without a word, on every upstream of the strict mock. Structured
/// output from an Anthropic client reaches OpenAI and Gemini; JSON output with thinking on Claude is a 400 naming both;
/// fields adapted for the model are named in <c>x-switchboard-adjusted</c> and the ledger; temperature with top_p gets
/// the same answer relayed and translated; Gemini's thinking survives a later turn to Claude; the answer's model is
/// the upstream's id, named in <c>x-switchboard-upstream-model</c> on every path.
/// </summary>
public sealed class TranslationDropsTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => AnthropicAndGeminiProviders + "\n" + $$"""
          claude503: { type: anthropic, base_url: "{{Mock.BaseUrl}}/_knobs/status=503", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    protected override string ExtraModels => ModelPerUpstream + "\n" + """
          claude-then-gpt:
            strategy: priority
            deployments:
              - { provider: claude503, model: claude-sonnet-4-5 }
              - { provider: mock, model: o4-mini }
        """;

    private const string CitySchema = """
        {"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}},"required":["city","country"],"additionalProperties":false}
        """;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private async Task<JsonElement> SentAsync() =>
        JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;

    private static async Task<JsonNode> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    private static string Text(JsonNode message) =>
        string.Concat(message["content"]!.AsArray().Where(b => (string)b!["type"]! == "text").Select(b => (string)b!["text"]!));

    [Theory]
    [InlineData("gpt")]
    [InlineData("gemini")]
    public async Task Anthropic_client_structured_output_reaches_the_upstream_and_comes_back_as_json(string model)
    {
        using var http = AnthropicHttp();
        var body = await OkAsync(await http.PostAsync("/v1/messages", Json($$$$"""
            {"model":"{{{{model}}}}","max_tokens":300,"messages":[{"role":"user","content":"Name a city."}],
             "output_config":{"format":{"type":"json_schema","schema":{{{{CitySchema}}}}}}}
            """)));
        var sent = await SentAsync();
        if (model == "gpt") Assert.Equal("json_schema", sent.GetProperty("response_format").GetProperty("type").GetString());
        else Assert.Equal("object", sent.GetProperty("generationConfig").GetProperty("responseJsonSchema").GetProperty("type").GetString());
        var answer = JsonDocument.Parse(Text(body)).RootElement;
        Assert.Equal(JsonValueKind.String, answer.GetProperty("city").ValueKind);
        Assert.Equal(JsonValueKind.String, answer.GetProperty("country").ValueKind);
    }

    [Fact]
    public async Task OpenAI_client_json_schema_with_reasoning_on_Claude_is_a_400_naming_both()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json($$$$"""
            {"model":"claude","reasoning_effort":"high","messages":[{"role":"user","content":"Name a city."}],
             "response_format":{"type":"json_schema","json_schema":{"name":"city","schema":{{{{CitySchema}}}}}}}
            """));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("reasoning_effort", (string)error["param"]!);
        Assert.Contains("JSON output (json_schema) cannot be combined with reasoning_effort", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_adapted_for_Claude_are_named_in_a_header_and_the_ledger()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json("""
            {"model":"claude","reasoning_effort":"high","max_completion_tokens":2000,"temperature":0.5,
             "messages":[{"role":"user","content":"hi"}]}
            """));
        await OkAsync(response);
        Assert.Equal("reasoning_effort,temperature", Header(response, "x-switchboard-adjusted"));
        var sent = await SentAsync();
        Assert.Equal(1500, sent.GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
        Assert.False(sent.TryGetProperty("temperature", out _));
        var record = await Gateway.RecordOfAsync(Header(response, "x-request-id")!);
        Assert.Equal("reasoning_effort,temperature", record.Adjusted);

        var plain = await http.PostAsync("/v1/chat/completions", Json("""{"model":"claude","messages":[{"role":"user","content":"hi"}]}"""));
        await OkAsync(plain);
        Assert.Null(Header(plain, "x-switchboard-adjusted"));
        Assert.Null((await Gateway.RecordOfAsync(Header(plain, "x-request-id")!)).Adjusted);
    }

    [Fact]
    public async Task After_failover_the_header_names_only_what_the_answering_upstream_was_sent_differently()
    {
        // The Claude attempt shrinks the thinking budget under max_completion_tokens (noted), then fails (503); the
        // OpenAI deployment gets the request as sent, so the answer must not carry the failed attempt's list.
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json("""
            {"model":"claude-then-gpt","reasoning_effort":"high","max_completion_tokens":2000,"messages":[{"role":"user","content":"hi"}]}
            """));
        await OkAsync(response);
        Assert.Equal("2", Header(response, "x-switchboard-attempts"));
        Assert.Equal("mock", Header(response, "x-switchboard-provider"));
        Assert.Null(Header(response, "x-switchboard-adjusted"));
        Assert.Null((await Gateway.RecordOfAsync(Header(response, "x-request-id")!)).Adjusted);
    }

    [Fact]
    public async Task A_tool_turn_without_its_thinking_block_reaches_Claude_with_thinking_off_and_named()
    {
        // The strict mock refuses, as Anthropic does, thinking on with a final assistant turn that does not start with
        // a thinking block; an OpenAI client has no way to send one back.
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Json("""
            {"model":"claude","reasoning_effort":"high",
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "messages":[{"role":"user","content":"Weather in Paris?"},
               {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_01","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
               {"role":"tool","tool_call_id":"toolu_01","content":"sunny"}]}
            """));
        await OkAsync(response);
        Assert.Equal("reasoning_effort", Header(response, "x-switchboard-adjusted"));
        Assert.False((await SentAsync()).TryGetProperty("thinking", out _));
    }

    [Fact]
    public async Task Anthropic_clients_thinking_is_left_out_for_a_chat_model_and_named()
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json("""
            {"model":"gpt","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1500},"messages":[{"role":"user","content":"hi"}]}
            """));
        await OkAsync(response);
        Assert.False((await SentAsync()).TryGetProperty("reasoning_effort", out _));
        Assert.Equal("thinking", Header(response, "x-switchboard-adjusted"));
    }

    [Fact]
    public async Task Temperature_with_top_p_on_Claude_is_refused_to_an_Anthropic_client_and_adapted_for_others()
    {
        using var anthropic = AnthropicHttp();
        var relayed = await anthropic.PostAsync("/v1/messages", Json("""
            {"model":"claude","max_tokens":50,"temperature":0.5,"top_p":0.9,"messages":[{"role":"user","content":"hi"}]}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, relayed.StatusCode);
        Assert.Contains("top_p", await relayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var openai = Gateway.Client(TestConfigs.AliceKey);
        var translated = await openai.PostAsync("/v1/chat/completions", Json("""
            {"model":"claude","temperature":0.5,"top_p":0.9,"messages":[{"role":"user","content":"hi"}]}
            """));
        // Another API's client (OpenAI's and Google's take both): temperature kept, top_p left out and named.
        Assert.Equal(HttpStatusCode.OK, translated.StatusCode);
        Assert.Equal("top_p", Header(translated, "x-switchboard-adjusted"));
        var upstream = JsonNode.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!)!;
        Assert.Equal(0.5, (double)upstream["temperature"]!);
        Assert.Null(upstream["top_p"]);
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("gemini")]
    public async Task Gemini_thinking_given_to_an_Anthropic_client_survives_a_later_turn(string next)
    {
        using var http = AnthropicHttp();
        var first = await OkAsync(await http.PostAsync("/v1/messages", Json("""
            {"model":"gemini","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}]}
            """)));
        var thinking = first["content"]!.AsArray().Where(b => (string)b!["type"]! == "thinking").ToList();
        Assert.NotEmpty(thinking);
        Assert.All(thinking, b => Assert.StartsWith("switchboard.v1.", (string)b!["signature"]!));

        // The whole answer goes back as history, as Claude Code sends it, to Claude (which checks every signature) or Gemini.
        var history = new JsonArray(
            JsonNode.Parse("""{"role":"user","content":"hi"}"""),
            new JsonObject { ["role"] = "assistant", ["content"] = first["content"]!.DeepClone() },
            JsonNode.Parse("""{"role":"user","content":"and again"}"""));
        var second = new JsonObject
        {
            ["model"] = next, ["max_tokens"] = 2000, ["thinking"] = JsonNode.Parse("""{"type":"enabled","budget_tokens":1024}"""), ["messages"] = history,
        };
        await OkAsync(await http.PostAsync("/v1/messages", Json(second.ToJsonString())));
        Assert.DoesNotContain("switchboard.v1.", (await SentAsync()).GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpt", "gpt-4o-mini", false)]
    [InlineData("gpt", "gpt-4o-mini", true)]
    [InlineData("claude", "claude-sonnet-4-5", false)]
    [InlineData("claude", "claude-sonnet-4-5", true)]
    [InlineData("gemini", "gemini-2.5-flash-lite", false)]
    [InlineData("gemini", "gemini-2.5-flash-lite", true)]
    public async Task The_answers_model_is_the_upstreams_id_in_both_dialects_and_named_in_a_header(string model, string upstream, bool stream)
    {
        using var openai = Gateway.Client(TestConfigs.AliceKey);
        var chat = await openai.PostAsync("/v1/chat/completions", Json($$"""
            {"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}
            """));
        Assert.Equal(upstream, Header(chat, "x-switchboard-upstream-model"));
        var chatText = await chat.Content.ReadAsStringAsync();
        var chatModel = stream ? Sse.JsonChunks(chatText).First().GetProperty("model").GetString() : JsonDocument.Parse(chatText).RootElement.GetProperty("model").GetString();
        Assert.StartsWith(upstream, chatModel, StringComparison.Ordinal);

        using var anthropic = AnthropicHttp();
        var messages = await anthropic.PostAsync("/v1/messages", Json($$"""
            {"model":"{{model}}","max_tokens":50,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}
            """));
        Assert.Equal(upstream, Header(messages, "x-switchboard-upstream-model"));
        var text = await messages.Content.ReadAsStringAsync();
        var messagesModel = stream
            ? Sse.JsonChunks(text).First().GetProperty("message").GetProperty("model").GetString()
            : JsonDocument.Parse(text).RootElement.GetProperty("model").GetString();
        Assert.StartsWith(upstream, messagesModel, StringComparison.Ordinal);
        var record = await Gateway.RecordOfAsync(Header(messages, "x-request-id")!);
        Assert.Equal((model, upstream), (record.Model, record.UpstreamModel));
    }
}
