namespace Switchboard.Tests.EndToEnd;

/// <summary>What clients receive through the gateway conforms to the official OpenAI OpenAPI schemas.</summary>
public sealed class OpenApiConformanceTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    [OpenApiSpecFact]
    public async Task Chat_completion_with_tools_and_logprobs_conforms()
    {
        var body = await PostAsync("/v1/chat/completions", """{"model":"chat","logprobs":true,"top_logprobs":1,"messages":[{"role":"user","content":"hi there"}]}""");
        AssertConforms("CreateChatCompletionResponse", body);
        var tools = await PostAsync("/v1/chat/completions", """
            {"model":"chat","messages":[{"role":"user","content":"call it"}],
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}}}]}
            """);
        AssertConforms("CreateChatCompletionResponse", tools);
    }

    [OpenApiSpecFact]
    public async Task Every_stream_chunk_conforms()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        foreach (var request in new[]
        {
            """{"model":"chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"a b c"}]}""",
            """{"model":"chat","stream":true,"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]}}}]}""",
        })
        {
            var response = await http.PostAsync("/v1/chat/completions", Json(request));
            var chunks = Sse.JsonChunks(await response.Content.ReadAsStringAsync());
            Assert.NotEmpty(chunks);
            foreach (var chunk in chunks) AssertConforms("CreateChatCompletionStreamResponse", chunk);
        }
    }

    [OpenApiSpecFact]
    public async Task Embeddings_models_and_errors_conform()
    {
        AssertConforms("CreateEmbeddingResponse", await PostAsync("/v1/embeddings", """{"model":"embed","input":["a","b"]}"""));
        using var http = Gateway.Client(TestConfigs.AliceKey);
        AssertConforms("ListModelsResponse", JsonDocument.Parse(await http.GetStringAsync("/v1/models")).RootElement);
        AssertConforms("Model", JsonDocument.Parse(await http.GetStringAsync("/v1/models/chat")).RootElement);
        var error = await http.PostAsync("/v1/chat/completions", Json("""{"model":"nope","messages":[]}"""));
        AssertConforms("ErrorResponse", JsonDocument.Parse(await error.Content.ReadAsStringAsync()).RootElement);
    }

    private async Task<JsonElement> PostAsync(string path, string json)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync(path, Json(json));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static void AssertConforms(string schema, JsonElement json)
    {
        var errors = OpenApiSchema.Spec.Validate(schema, json);
        Assert.True(errors.Count == 0, $"{schema}:\n" + string.Join("\n", errors));
    }
}
