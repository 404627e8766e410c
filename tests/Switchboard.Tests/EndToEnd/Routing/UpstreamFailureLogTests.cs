using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>An upstream failure's log line says what an operator needs: provider, model, status, error type and message.</summary>
public sealed class UpstreamFailureLogTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    [Fact]
    public async Task An_anthropic_400_is_logged_with_its_model_type_and_message()
    {
        await using var gateway = await StartAsync(
            $"anth: {{ type: anthropic, base_url: \"{mock.BaseUrl}/_knobs/status=400\", api_key: \"{Key}\" }}",
            OneDeployment("anth", "claude-sonnet-4-6"));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var response = await http.PostAsync("/v1/messages", new StringContent(
            """{"model":"m","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var requestId = response.Headers.GetValues("x-request-id").Single();
        Assert.Contains(gateway.Logs.Lines, line => line.Contains(
            $"Request {requestId}: provider anth (model claude-sonnet-4-6) failed with 400 invalid_request_error: Invalid request (injected by the mock upstream).",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failure_whose_message_quotes_the_provider_key_is_logged_with_its_message_scrubbed()
    {
        await using var gateway = await StartAsync(
            Provider("oai", mock.BaseUrl, "status=500;echo_key=1"), OneDeployment("oai"), "routing: { max_attempts: 1 }");
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        var line = Assert.Single(gateway.Logs.Lines, l => l.Contains($"Request {answer.Header("x-request-id")}: provider oai", StringComparison.Ordinal));
        Assert.Contains("(model gpt-4o-mini) failed with 500 server_error: Provider 'oai' answered HTTP 500: The server had an error", line, StringComparison.Ordinal);
        Assert.Contains("(request made with key [redacted])", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, line, StringComparison.Ordinal);
    }
}
