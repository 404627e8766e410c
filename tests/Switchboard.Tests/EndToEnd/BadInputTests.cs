using Switchboard.Fuzz;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 19 items 10, 11 and 14: malformed requests are a 400 (never the gateway's own 500), every error the gateway
/// answers itself is in its path's dialect with an x-request-id, and URL and model-name mistakes name their fix.
/// </summary>
public sealed class BadInputTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => AnthropicAndGeminiProviders;

    protected override string ExtraModels => ClaudeAndGeminiModels + "\n  gpt-4o: [{ provider: mock, model: gpt-4o }]";

    public static TheoryData<string, string, string> TranslatedPaths => new()
    {
        // path, model, the body's content value (raw JSON text inside the quotes)
        { "/v1/chat/completions", "claude", "\\ud800" },
        { "/v1/chat/completions", "gemini", "a\\udc00b" },
        { "/v1/messages", "chat", "\\ud800\\u0041" },
        { "/v1/messages", "claude", "\\udbff" },
        { "/v1/chat/completions", "chat", "\\ud800" },
        { "/v1/messages/count_tokens", "gemini", "\\ud800" },
    };

    [Theory]
    [MemberData(nameof(TranslatedPaths))]
    public async Task Lone_surrogate_escape_is_a_400_in_the_paths_dialect_not_a_500(string path, string model, string text)
    {
        var body = path.Contains("/messages", StringComparison.Ordinal)
            ? $$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"{{text}}"}]}"""
            : $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{text}}"}]}""";
        var response = await SendAsync("POST", path, TestConfigs.AliceKey, Encoding.UTF8.GetBytes(body));
        AssertError(response, 400, path, "lone UTF-16 surrogate");
    }

    [Theory]
    [InlineData("/v1/chat/completions", "chat")]
    [InlineData("/v1/chat/completions", "claude")]
    [InlineData("/v1/messages", "claude")]
    [InlineData("/v1/messages", "chat")]
    [InlineData("/v1/embeddings", "embed")]
    public async Task Invalid_utf8_body_is_a_400_in_the_paths_dialect_and_never_reaches_an_upstream(string path, string model)
    {
        await Mock.ResetAsync();
        var body = Encoding.Latin1.GetBytes($$"""{"model":"{{model}}","max_tokens":16,"input":"x","messages":[{"role":"user","content":"a""" + "\xff" + "b\"}]}");
        var response = await SendAsync("POST", path, TestConfigs.AliceKey, body);
        AssertError(response, 400, path, "not valid UTF-8");
        Assert.Empty(await Mock.RequestsAsync());
    }

    [Theory]
    [InlineData("/v1/chat/completions", TestConfigs.AliceKey)]
    [InlineData("/v1/messages", TestConfigs.AliceKey)]
    [InlineData("/v1/messages/count_tokens", TestConfigs.AliceKey)]
    [InlineData("/admin/keys", TestConfigs.MasterKey)]
    public async Task Chunk_size_that_overflows_is_a_400_not_a_500(string path, string key)
    {
        var response = await RawAsync($"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nffffffffffffffff\r\n{}\r\n0\r\n\r\n");
        AssertError(response, 400, path, "could not be read");
    }

    [Theory]
    [InlineData("""{"name":"\ud800"}""", "lone UTF-16 surrogate")]
    [InlineData("{\"name\":\"a\u00ffb\"}", "not valid UTF-8")]
    public async Task Unreadable_admin_body_is_a_400_not_database_unavailable(string body, string expected)
    {
        var response = await SendAsync("POST", "/admin/keys", TestConfigs.MasterKey, Encoding.Latin1.GetBytes(body));
        AssertError(response, 400, "/admin/keys", expected);
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions", "POST")]
    [InlineData("PUT", "/v1/messages", "POST")]
    [InlineData("GET", "/v1/messages/count_tokens", "POST")]
    [InlineData("POST", "/v1/models", "GET")]
    [InlineData("PUT", "/admin/keys", "GET")]
    public async Task Wrong_method_on_a_known_route_is_405_with_allow_in_the_paths_dialect(string method, string path, string allowed)
    {
        var response = await SendAsync(method, path, TestConfigs.AliceKey, method == "GET" ? null : "{}"u8.ToArray());
        AssertError(response, 405, path, $"Method {method} is not allowed");
        Assert.Contains(allowed, response.Header("allow") ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/v1/v1/messages", "remove the trailing /v1 from your base URL (ANTHROPIC_BASE_URL")]
    [InlineData("POST", "/v1/v1/messages/count_tokens", "remove the trailing /v1")]
    [InlineData("POST", "/v1/v1/chat/completions", "remove the trailing /v1")]
    [InlineData("POST", "/api/v1/chat/completions", "serves this at /v1/chat/completions")]
    [InlineData("GET", "/v1/nope", "check the URL for typos")]
    public async Task Url_mistakes_get_a_404_in_the_dialect_the_path_implies_naming_the_fix(string method, string path, string hint)
    {
        var response = await SendAsync(method, path, TestConfigs.AliceKey, method == "GET" ? null : "{}"u8.ToArray());
        AssertError(response, 404, path, hint);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "openai/gpt-4o")]
    [InlineData("/v1/messages", "anthropic/claude")]
    public async Task Provider_prefixed_model_name_gets_did_you_mean(string path, string model)
    {
        var body = $$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""";
        var response = await SendAsync("POST", path, TestConfigs.AliceKey, Encoding.UTF8.GetBytes(body));
        AssertError(response, 404, path, $"Did you mean model '{model[(model.IndexOf('/', StringComparison.Ordinal) + 1)..]}'?");
        Assert.Contains($"The model `{model}` does not exist", ErrorMessage(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_prefix_gets_no_hint_when_the_bare_name_is_not_the_keys_either()
    {
        var response = await SendAsync("POST", "/v1/chat/completions", TestConfigs.BobKey,
            """{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}]}"""u8.ToArray());
        AssertError(response, 404, "/v1/chat/completions", "does not exist");
        Assert.DoesNotContain("Did you mean", ErrorMessage(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_error_echoing_a_giant_value_stays_the_upstreams_400_not_a_502_unreachable()
    {
        // The strict mock (as OpenAI) quotes the bad value in its 400, here a 1.2 MB role: over the gateway's 1 MB
        // error-body bound, which used to fail the attempt as a broken connection (502 upstream_unreachable, retried).
        var body = $$"""{"model":"chat","messages":[{"role":"{{new string('a', 1_200_000)}}","content":"hi"}]}""";
        var response = await SendAsync("POST", "/v1/chat/completions", TestConfigs.AliceKey, Encoding.UTF8.GetBytes(body));
        AssertError(response, 400, "/v1/chat/completions", "Invalid value");
        Assert.True(response.Body.Length < 4096, "the echoed value is cut, not relayed whole");
    }

    private async Task<RawResponse> SendAsync(string method, string path, string key, byte[]? body)
    {
        var head = $"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n"
            + (body is null ? "" : $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n") + "\r\n";
        return await RawAsync([.. Encoding.ASCII.GetBytes(head), .. body ?? []]);
    }

    private Task<RawResponse> RawAsync(string request) => RawAsync(Encoding.Latin1.GetBytes(request));

    private async Task<RawResponse> RawAsync(byte[] request)
    {
        var uri = new Uri(Gateway.BaseUrl);
        return await RawHttp.SendAsync(uri.Host, uri.Port, request, halfClose: false, TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("no HTTP response");
    }

    private static string ErrorMessage(RawResponse response) =>
        JsonDocument.Parse(response.Body).RootElement.GetProperty("error").GetProperty("message").GetString()!;

    private static void AssertError(RawResponse response, int status, string path, string messagePart)
    {
        var body = Encoding.UTF8.GetString(response.Body);
        Assert.True(status == response.Status, $"expected {status}, got {response.Status}: {body}");
        Assert.False(string.IsNullOrEmpty(response.Header("x-request-id")), "no x-request-id");
        Assert.Null(ResponseCheck.ShapeProblem(FuzzCase.DialectOf(path), response.Body));
        Assert.Contains(messagePart, ErrorMessage(response), StringComparison.Ordinal);
    }
}
