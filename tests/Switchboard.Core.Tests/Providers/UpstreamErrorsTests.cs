using System.Net;
using Switchboard.Config;
using Switchboard.Errors;
using Switchboard.Providers;

namespace Switchboard.Core.Tests.Providers;

public sealed class UpstreamErrorsTests : IDisposable
{
    private const string ProviderKey = "sk-proj-ABCDEFGHIJKLMNOP1234";
    private readonly UpstreamProvider _provider = new(new ProviderConfig
    {
        Name = "openai", Type = "openai", BaseUrl = new Uri("http://127.0.0.1:1/v1"), ApiKey = ProviderKey,
    });

    public void Dispose() => _provider.Dispose();

    private GatewayError Map(HttpStatusCode status, string body, Action<HttpResponseMessage>? headers = null)
    {
        using var response = new HttpResponseMessage(status) { ReasonPhrase = status.ToString() };
        headers?.Invoke(response);
        return UpstreamErrors.FromResponse(response, Encoding.UTF8.GetBytes(body), _provider);
    }

    [Fact]
    public void Client_faults_keep_status_type_code_param_and_message()
    {
        var error = Map(HttpStatusCode.BadRequest,
            """{"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""");
        Assert.Equal((400, "invalid_request_error", "invalid_value", "temperature"), (error.Status, error.Type, error.Code, error.Param));
        Assert.Equal("Invalid value for 'temperature'.", error.Message);
        Assert.Equal(ErrorDisposition.ClientFault, error.Disposition);
    }

    [Fact]
    public void A_key_echoed_in_code_or_param_is_scrubbed_like_the_message()
    {
        var error = Map(HttpStatusCode.BadRequest,
            $$$"""{"error":{"message":"bad","type":"invalid_request_error","param":"auth {{{ProviderKey}}}","code":"{{{ProviderKey}}}"}}""");
        Assert.DoesNotContain(ProviderKey, error.Param, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderKey, error.Code, StringComparison.Ordinal);
        Assert.NotNull(error.Code);
    }

    [Fact]
    public void Rate_limits_and_server_errors_are_retryable_upstream_errors_with_retry_after()
    {
        var limited = Map(HttpStatusCode.TooManyRequests, """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""",
            r => r.Headers.TryAddWithoutValidation("Retry-After", "12"));
        Assert.Equal((429, "upstream_error", "rate_limit_exceeded"), (limited.Status, limited.Type, limited.Code));
        Assert.Equal(TimeSpan.FromSeconds(12), limited.RetryAfter);
        Assert.Equal(ErrorDisposition.Retryable, limited.Disposition);

        var ms = Map(HttpStatusCode.ServiceUnavailable, "upstream connect error", r => r.Headers.TryAddWithoutValidation("retry-after-ms", "1500"));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), ms.RetryAfter);
        Assert.Contains("upstream connect error", ms.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_window_refusals_only_fall_back()
    {
        var error = Map(HttpStatusCode.BadRequest, """{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","code":"context_length_exceeded"}}""");
        Assert.Equal(ErrorDisposition.ContextWindowExceeded, error.Disposition);
    }

    [Fact]
    public void Content_policy_refusals_are_their_own_case()
    {
        var error = Map(HttpStatusCode.BadRequest, """{"error":{"message":"Your request was rejected by the safety system.","type":"invalid_request_error","code":"content_policy_violation"}}""");
        Assert.Equal(ErrorDisposition.ContentPolicy, error.Disposition);
        Assert.Equal(400, error.Status);
    }

    [Theory]
    [InlineData("""{"error":"model 'llama9' not found"}""", "model 'llama9' not found")]              // Ollama
    [InlineData("""{"object":"error","message":"bad lora","type":"BadRequestError","code":400}""", "bad lora")] // vLLM
    [InlineData("<html>nginx 404</html>", "Provider 'openai' answered HTTP 404 (NotFound) with an HTML page: <html>nginx 404</html>.")]
    [InlineData("", "Provider 'openai' answered HTTP 404 (NotFound) with an empty body.")]
    [InlineData("no route\r\n\r\n  to model", "Provider 'openai' answered HTTP 404 (NotFound) with a body that is no error object: no route to model.")]
    public void Other_servers_error_shapes_are_understood(string body, string message) =>
        Assert.Equal(message, Map(HttpStatusCode.NotFound, body).Message);

    [Fact]
    public void A_long_page_is_quoted_cut_and_scrubbed_before_the_cut()
    {
        // The key straddles the 200th character: scrubbed whole before the cut, never half left behind.
        var body = "<html><body>" + new string('x', 180) + " " + ProviderKey + " " + new string('y', 5000) + "</body></html>";
        var error = Map(HttpStatusCode.BadGateway, body, r => r.Content = new StringContent(body, Encoding.UTF8, "text/html"));

        Assert.StartsWith("Provider 'openai' answered HTTP 502 (BadGateway) with an HTML page: <html><body>xxx", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-proj", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("yyy", error.Message, StringComparison.Ordinal);
        Assert.Equal("HTTP 502 with no error object", error.UpstreamAnswer);
    }

    [Fact]
    public void The_upstreams_own_type_and_code_are_kept_for_the_log()
    {
        var error = Map(HttpStatusCode.Unauthorized,
            """{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}""");
        Assert.Equal("HTTP 401 invalid_request_error/invalid_api_key", error.UpstreamAnswer);
    }

    [Fact]
    public void Upstream_auth_failure_is_a_502_with_the_key_scrubbed()
    {
        var error = Map(HttpStatusCode.Unauthorized,
            $$$"""{"error":{"message":"Incorrect API key provided: {{{ProviderKey}}}. Also sk-proj-ABCD************1234.","type":"invalid_request_error","code":"invalid_api_key"}}""");
        Assert.Equal(502, error.Status);
        Assert.Equal("upstream_authentication_failed", error.Code);
        Assert.DoesNotContain("ABCD", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1234", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transport_failures_name_the_cause()
    {
        var refused = UpstreamErrors.FromException(
            new HttpRequestException(HttpRequestError.ConnectionError, $"Connection refused ({ProviderKey})", new IOException("Connection refused")), _provider, timedOut: false);
        Assert.Equal("upstream_unreachable", refused.Code);
        Assert.Equal("HttpRequestException: Connection refused ([redacted])", refused.UpstreamAnswer);
        var timeout = UpstreamErrors.FromException(new TaskCanceledException(), _provider, timedOut: true);
        Assert.Equal((504, "upstream_timeout"), (timeout.Status, timeout.Code));
    }
}
