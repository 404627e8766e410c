using Switchboard.Tests.EndToEnd;
using Switchboard.Usage;

namespace Switchboard.Tests.Gemini;

/// <summary>
/// The Gemini API as a client dialect, gateway and strict mock in process: a function call round trip on every
/// upstream type (OpenAI chat, Anthropic, Gemini passed through, an <c>api: responses</c> deployment), streamed and
/// not; the ledger, failover, the key from <c>?key=</c> kept out of every log line, and errors in Google's shape.
/// </summary>
public sealed class GeminiClientTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => AnthropicAndGeminiProviders + "\n"
        + $$"""  down: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/status=503/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }""" + "\n";

    protected override string ExtraModels => ModelPerUpstream + "\n" + """
          codex: [{ provider: mock, model: gpt-4o-mini, api: responses }]
          failover:
            strategy: priority
            deployments: [{ provider: down, model: gpt-4o-mini }, { provider: mock, model: gpt-4o-mini }]
        """;

    protected override string ExtraTopLevel => "telemetry: { access_log: true }";

    private const string Tools = """[{"functionDeclarations":[{"name":"get_weather","description":"Weather by city","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}}]}]""";

    private HttpClient GeminiHttp()
    {
        var http = new HttpClient { BaseAddress = new Uri(Gateway.BaseUrl) };
        http.DefaultRequestHeaders.Add("x-goog-api-key", TestConfigs.AliceKey);
        return http;
    }

    private static string Path(string model, bool stream) =>
        stream ? $"/v1beta/models/{model}:streamGenerateContent?alt=sse" : $"/v1beta/models/{model}:generateContent";

    /// <summary>The responses of an answer: the one object, or every SSE frame's.</summary>
    private static async Task<List<JsonElement>> ResponsesAsync(HttpResponseMessage response, bool stream)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        if (!stream) return [JsonDocument.Parse(text).RootElement.Clone()];
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return Sse.DataEvents(text).Select(d => JsonDocument.Parse(d).RootElement.Clone()).ToList();
    }

    private static IEnumerable<JsonElement> Parts(List<JsonElement> responses) => responses
        .SelectMany(r => r.GetProperty("candidates").EnumerateArray())
        .Where(c => c.TryGetProperty("content", out var content) && content.TryGetProperty("parts", out _))
        .SelectMany(c => c.GetProperty("content").GetProperty("parts").EnumerateArray());

    [Theory]
    [InlineData("gpt", "mock", false)]
    [InlineData("gpt", "mock", true)]
    [InlineData("claude", "anthropic", false)]
    [InlineData("claude", "anthropic", true)]
    [InlineData("gemini", "gemini", false)]
    [InlineData("gemini", "gemini", true)]
    [InlineData("codex", "mock", false)]
    [InlineData("codex", "mock", true)]
    public async Task A_function_call_its_response_and_the_answer_on_every_upstream(string model, string provider, bool stream)
    {
        using var http = GeminiHttp();
        var user = """{"role":"user","parts":[{"text":"Weather in Paris?"}]}""";

        var first = await http.PostAsync(Path(model, stream), Json($$"""{"contents":[{{user}}],"tools":{{Tools}}}"""));
        var firstParts = Parts(await ResponsesAsync(first, stream)).ToList();
        var callPart = Assert.Single(firstParts, p => p.TryGetProperty("functionCall", out _));
        var call = callPart.GetProperty("functionCall");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, call.GetProperty("args").GetProperty("city").ValueKind);

        // The model turn goes back as the client got it (ids and signatures included), then the function's response.
        var idMember = call.TryGetProperty("id", out var id) ? "\"id\":\"" + id.GetString() + "\"," : "";
        var functionResponse = "{\"functionResponse\":{" + idMember + "\"name\":\"get_weather\",\"response\":{\"output\":\"18C and sunny\"}}}";
        var second = await http.PostAsync(Path(model, stream), Json($$$"""
            {"contents":[{{{user}}},{"role":"model","parts":[{{{callPart.GetRawText()}}}]},
              {"role":"user","parts":[{{{functionResponse}}}]}],
             "tools":{{{Tools}}}}
            """));
        var responses = await ResponsesAsync(second, stream);

        var text = string.Concat(Parts(responses).Where(p => !p.TryGetProperty("thought", out _) && p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString()));
        Assert.StartsWith("The tool returned: ", text, StringComparison.Ordinal);
        Assert.Contains("18C and sunny", text, StringComparison.Ordinal);
        var last = responses[^1];
        Assert.Equal("STOP", last.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        var usage = last.GetProperty("usageMetadata");
        var record = await Gateway.RecordOfAsync(second.Headers.GetValues("x-request-id").Single());
        Assert.Equal((stream ? "streamGenerateContent" : "generateContent", provider, 200, stream), (record.Endpoint, record.Provider, record.Status, record.Stream));
        Assert.Equal(usage.GetProperty("promptTokenCount").GetInt64(), record.Usage.PromptTokens);
        Assert.Equal(usage.GetProperty("totalTokenCount").GetInt64(), record.Usage.PromptTokens + record.Usage.CompletionTokens);
        Assert.False(record.UsageMissing);
    }

    [Fact]
    public async Task A_Gemini_upstream_gets_the_clients_body_as_it_came_and_the_providers_key()
    {
        using var http = GeminiHttp();
        var body = """{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}],"generationConfig":{"temperature":0.3}}""";

        var response = await http.PostAsync(Path("gemini", stream: true), Json(body));
        await ResponsesAsync(response, stream: true);

        var upstream = await Mock.LastRequestAsync();
        Assert.Equal("/v1beta/models/gemini-2.5-flash-lite:streamGenerateContent", upstream.GetProperty("path").GetString());
        Assert.Equal(body, upstream.GetProperty("body").GetString());
        Assert.Equal(MockUpstreamFixture.ProviderKey, upstream.GetProperty("headers").GetProperty("x-goog-api-key").GetString());
    }

    [Fact]
    public async Task A_failing_deployment_falls_over_to_the_next()
    {
        using var http = GeminiHttp();
        var response = await http.PostAsync(Path("failover", stream: false), Json("""{"contents":[{"parts":[{"text":"Hi"}]}]}"""));

        var answer = Assert.Single(await ResponsesAsync(response, stream: false));
        Assert.Equal("Echo: Hi", Parts([answer]).Single().GetProperty("text").GetString());
        Assert.Equal("2", response.Headers.GetValues("x-switchboard-attempts").Single());
    }

    [Fact]
    public async Task The_key_in_the_query_authenticates_and_reaches_no_log_line()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Gateway.BaseUrl) };
        var response = await http.PostAsync($"/v1/models/gpt:generateContent?key={TestConfigs.AliceKey}", Json("""{"contents":[{"parts":[{"text":"Hi"}]}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await Gateway.RecordOfAsync(response.Headers.GetValues("x-request-id").Single());
        Assert.Equal("alice", record.KeyName);
        for (var i = 0; i < 100 && !Gateway.Logs.Entries.Any(e => e.Category == Switchboard.Hosting.Telemetry.AccessLog.Category); i++) await Task.Delay(20);
        Assert.Contains(Gateway.Logs.Entries, e => e.Category == Switchboard.Hosting.Telemetry.AccessLog.Category);
        Assert.DoesNotContain(Gateway.Logs.Entries, e => e.Message.Contains(TestConfigs.AliceKey, StringComparison.Ordinal)
            || e.Fields.Values.Any(v => v?.ToString()?.Contains(TestConfigs.AliceKey, StringComparison.Ordinal) == true));
    }

    [Theory]
    [InlineData("/v1beta/models/gpt:generateContent", "sb-wrong", """{"contents":[]}""", 401, "UNAUTHENTICATED", "")]
    [InlineData("/v1beta/models/no-such-model:generateContent", TestConfigs.AliceKey, """{"contents":[]}""", 404, "NOT_FOUND", "no-such-model")]
    [InlineData("/v1beta/models/gpt:streamGenerateContent?alt=sse", TestConfigs.AliceKey, """{"contents":{}}""", 400, "INVALID_ARGUMENT", "contents")]
    [InlineData("/v1beta/models/gpt:generateContent", TestConfigs.AliceKey, """{"contents":[{"role":"robot","parts":[{"text":"x"}]}]}""", 400, "INVALID_ARGUMENT", "contents[0].role")]
    [InlineData("/v1beta/models/gpt:generateContent", TestConfigs.AliceKey, """{"contents":[}""", 400, "INVALID_ARGUMENT", "")]
    [InlineData("/v1beta/models/gpt:embedContent", TestConfigs.AliceKey, """{}""", 404, "NOT_FOUND", "")]
    public async Task Errors_come_in_Googles_shape(string path, string key, string body, int status, string statusName, string mention)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Gateway.BaseUrl) };
        http.DefaultRequestHeaders.Add("x-goog-api-key", key);

        var response = await http.PostAsync(path, Json(body));

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal((status, statusName), (error.GetProperty("code").GetInt32(), error.GetProperty("status").GetString()));
        Assert.Contains(mention, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sb-wrong", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_GET_on_a_Gemini_method_or_from_a_Google_client_on_v1_models_is_answered_in_Googles_shape()
    {
        using var http = GeminiHttp();
        var wrongMethod = await http.GetAsync("/v1/models/gpt:generateContent");
        Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);
        Assert.Equal("NOT_FOUND", JsonDocument.Parse(await wrongMethod.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("status").GetString());

        // The current @google/genai SDK lists models under /v1; an OpenAI client there still gets OpenAI's list.
        var google = JsonDocument.Parse(await http.GetStringAsync("/v1/models")).RootElement;
        Assert.Contains(google.GetProperty("models").EnumerateArray(), m => m.GetProperty("name").GetString() == "models/gpt");
        using var openai = Gateway.Client(TestConfigs.AliceKey);
        Assert.Equal("list", JsonDocument.Parse(await openai.GetStringAsync("/v1/models")).RootElement.GetProperty("object").GetString());
    }

    [Fact]
    public async Task The_models_list_is_in_Googles_shape_and_count_tokens_answers_for_every_upstream()
    {
        using var http = GeminiHttp();
        var list = JsonDocument.Parse(await http.GetStringAsync("/v1beta/models")).RootElement.GetProperty("models");
        Assert.Contains(list.EnumerateArray(), m => m.GetProperty("name").GetString() == "models/gemini");

        foreach (var model in new[] { "gpt", "claude", "gemini" })
        {
            var response = await http.PostAsync($"/v1beta/models/{model}:countTokens", Json("""{"contents":[{"parts":[{"text":"count these few words please"}]}]}"""));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("totalTokens").GetInt32() > 0, text);
        }
    }
}
