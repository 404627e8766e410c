using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>
/// An upstream failure's log line says what an operator needs, whatever went wrong and whichever provider type: the
/// provider, its model, the status and error code, the message, and what the upstream itself answered — never
/// <c>(null)</c>, a bare status or a secret. The provider key is deliberately not key-shaped, so only the exact-key
/// scrub can catch it.
/// </summary>
public sealed class UpstreamFailureLogTests(UnshapedKeyMockFixture mock) : IClassFixture<UnshapedKeyMockFixture>
{
    private const string ProviderKey = UnshapedKeyMockFixture.Key;

    /// <summary>Provider <c>up</c> of <paramref name="type"/> on the mock with <paramref name="knobs"/> (<c>refused</c>: a port nobody listens on).</summary>
    private string UpProvider(string type, string knobs, string extra = "")
    {
        var root = knobs == "refused" ? "http://127.0.0.1:1" : $"{mock.BaseUrl}/_knobs/{knobs}";
        return $"up: {{ type: {type}, base_url: \"{root}{(type == "openai" ? "/v1" : "")}\", api_key: \"{ProviderKey}\"{extra} }}";
    }

    /// <summary>
    /// The failure line of a request. A stream cut after it started is logged once the relay has ended the client's
    /// stream, which the client may have read to its end already: polled.
    /// </summary>
    private static async Task<string> LineOfAsync(GatewayInstance gateway, string requestId)
    {
        Assert.NotEmpty(requestId);
        for (var attempt = 0; attempt < 100 && !gateway.Logs.Lines.Any(IsLineOf); attempt++) await Task.Delay(20);
        return Assert.Single(gateway.Logs.Lines, IsLineOf);

        bool IsLineOf(string line) => line.Contains($"Request {requestId}: provider up", StringComparison.Ordinal);
    }

    private static void AssertNoSecret(string line)
    {
        Assert.DoesNotContain(ProviderKey, line, StringComparison.Ordinal);
        Assert.DoesNotContain(TestConfigs.MasterKey, line, StringComparison.Ordinal);
        Assert.DoesNotContain("(null)", line, StringComparison.Ordinal);
    }

    [Theory]
    // JSON error objects of each API: the upstream's own type (and code) beside the gateway's.
    [InlineData("openai", "gpt-4o-mini", "status=500;echo_key=1", false, "failed with 500 server_error: Provider 'up' answered HTTP 500: The server had an error", "(upstream: HTTP 500 server_error)")]
    [InlineData("openai", "gpt-4o-mini", "status=401", false, "failed with 502 upstream_authentication_failed: Provider 'up' rejected the gateway's credentials (HTTP 401): Incorrect API key provided: [redacted]", "(upstream: HTTP 401 invalid_request_error/invalid_api_key)")]
    [InlineData("anthropic", "claude-sonnet-4-6", "status=529;echo_key=1", false, "failed with 529 overloaded_error: Provider 'up' answered HTTP 529: Overloaded", "(upstream: HTTP 529 overloaded_error)")]
    [InlineData("anthropic", "claude-sonnet-4-6", "status=400", false, "failed with 400 invalid_request_error: Invalid request (injected by the mock upstream).", "(upstream: HTTP 400 invalid_request_error)")]
    [InlineData("gemini", "gemini-2.5-flash", "status=400;echo_key=1", false, "failed with 400 invalid_request_error: Request contains an invalid argument.", "(upstream: HTTP 400 INVALID_ARGUMENT)")]
    [InlineData("gemini", "gemini-2.5-flash", "status=503", false, "failed with 503 UNAVAILABLE: Provider 'up' answered HTTP 503: The model is overloaded.", "(upstream: HTTP 503 UNAVAILABLE)")]
    // Bodies that are no error object: said so, their start quoted.
    [InlineData("openai", "gpt-4o-mini", "status=502;invalid_body=html", false, "failed with 502 upstream_http_502: Provider 'up' answered HTTP 502 (Bad Gateway) with an HTML page: <html> <head><title>502 Bad Gateway</title></head>", "(upstream: HTTP 502 with no error object)")]
    [InlineData("anthropic", "claude-sonnet-4-6", "status=503;invalid_body=empty", false, "failed with 503 upstream_http_503: Provider 'up' answered HTTP 503 (Service Unavailable) with an empty body.", "(upstream: HTTP 503 with no error object)")]
    [InlineData("gemini", "gemini-2.5-flash", "status=500;invalid_body=html", false, "failed with 500 upstream_http_500: Provider 'up' answered HTTP 500 (Internal Server Error) with an HTML page: <html>", "(upstream: HTTP 500 with no error object)")]
    [InlineData("openai", "gpt-4o-mini", "invalid_body=html", false, "failed with 502 upstream_invalid_response: Provider 'up' answered with a body that is not valid in its wire format.", "(upstream: HTTP 200 with an HTML page: <html><body><h1>200 OK</h1>")]
    // No answer at all: the transport error, or the timeout that fired.
    [InlineData("openai", "gpt-4o-mini", "refused", false, "failed with 502 upstream_unreachable: Provider 'up' could not connect.", "(upstream: HttpRequestException: Connection refused")]
    [InlineData("anthropic", "claude-sonnet-4-6", "latency_ms=3000", false, "failed with 504 upstream_timeout: Provider 'up' did not answer within 0.3 s.", null)]
    // A stream that fails after it started.
    [InlineData("openai", "gpt-4o-mini", "reset_after=2;words=40", true, "failed with 502 upstream_stream_broken: The connection to provider 'up' broke during the stream.", "(upstream: ")]
    [InlineData("openai", "gpt-4o-mini", "truncate_after=2;words=40", true, "failed with 502 upstream_stream_truncated: The stream from provider 'up' ended before the answer was complete.", null)]
    [InlineData("openai", "gpt-4o-mini", "error_after=2;echo_key=1;words=40", true, "failed with 502 server_error: Provider 'up' reported an error in the stream: ", null)]
    [InlineData("anthropic", "claude-sonnet-4-6", "error_after=3;echo_key=1;words=40", true, "failed with 502 overloaded_error: Provider 'up' reported an error in the stream: Overloaded", null)]
    public async Task Each_upstream_failure_is_logged_with_its_status_code_message_and_what_the_upstream_answered(
        string type, string model, string knobs, bool stream, string expected, string? upstream)
    {
        await using var gateway = await StartAsync(UpProvider(type, knobs, type == "anthropic" ? ", timeouts: { first_byte: 300ms }" : ""),
            OneDeployment("up", model), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream);

        var line = await LineOfAsync(gateway, answer.Header("x-request-id"));
        Assert.StartsWith("Warning ", line, StringComparison.Ordinal);
        Assert.Contains($"provider up (model {model}) {expected}", line, StringComparison.Ordinal);
        if (upstream is null) Assert.DoesNotContain("(upstream: ", line, StringComparison.Ordinal);
        else Assert.Contains(upstream, line, StringComparison.Ordinal);
        AssertNoSecret(line);
    }

    [Theory]
    [InlineData(TestConfigs.MasterKey)]
    [InlineData(TestConfigs.AliceKey)]
    public async Task A_client_secret_the_upstream_quotes_back_is_not_logged(string secret)
    {
        await using var gateway = await StartAsync(UpProvider("openai", "words=3"), OneDeployment("up"),
            $"keys:\n  - {{ key: {TestConfigs.AliceKey}, name: alice }}\n" + OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        // An unknown member is relayed as sent; OpenAI answers 400 "Unrecognized request argument supplied: <name>".
        var response = await http.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"m","messages":[{"role":"user","content":"hi"}],"{{secret}}":1}""", Encoding.UTF8, "application/json"));
        var requestId = response.Headers.GetValues("x-request-id").Single();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var line = await LineOfAsync(gateway, requestId);
        Assert.Contains("failed with 400 invalid_request_error: Unrecognized request argument supplied: [redacted]", line, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
    }
}
