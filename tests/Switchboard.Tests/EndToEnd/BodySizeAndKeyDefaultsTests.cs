namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// <c>server.max_body_size</c>: a larger body is a 413 in the client's dialect, announced or chunked.
/// <c>key_defaults.max_parallel</c>: keys without their own <c>max_parallel</c> get it.
/// </summary>
public sealed class BodySizeAndKeyDefaultsTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    private static readonly string Filler = new('x', 80 * 1024);

    protected override string ExtraTopLevel => "server: { max_body_size: 64KB }\nkey_defaults: { max_parallel: 2 }";

    protected override string ExtraProviders => $$"""
          slow: { type: openai, base_url: "{{Mock.BaseUrl}}/_knobs/latency_ms=400/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        """;

    protected override string ExtraModels => """
          slow: [{ provider: slow, model: gpt-4o-mini }]
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_above_max_body_size_is_a_413_in_the_OpenAI_dialect(bool chunked)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions",
            Body($$"""{"model":"chat","messages":[{"role":"user","content":"{{Filler}}"}]}""", chunked));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("request_too_large", error["code"]!.GetValue<string>());
        Assert.Contains("65536 bytes (server.max_body_size)", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_above_max_body_size_is_a_413_in_the_Anthropic_dialect(bool chunked)
    {
        using var http = Gateway.Client();
        http.DefaultRequestHeaders.Add("x-api-key", TestConfigs.AliceKey);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        var response = await http.PostAsync("/v1/messages",
            Body($$"""{"model":"chat","max_tokens":10,"messages":[{"role":"user","content":"{{Filler}}"}]}""", chunked));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("request_too_large", body["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_within_max_body_size_is_served()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var response = await http.PostAsync("/v1/chat/completions", Body("""{"model":"chat","messages":[{"role":"user","content":"hi"}]}""", chunked: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Key_defaults_max_parallel_applies_to_a_key_without_its_own()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            http.PostAsync("/v1/chat/completions", Body("""{"model":"slow","messages":[{"role":"user","content":"hi"}]}""", chunked: false))));
        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains("Limit 2 in flight", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpContent Body(string json, bool chunked)
    {
        if (!chunked) return Json(json);
        // A stream of unknown length: sent chunked, so only the reader's running count can refuse it.
        var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
