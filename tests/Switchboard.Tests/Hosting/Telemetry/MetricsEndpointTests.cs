using System.Net.Http.Headers;
using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.Hosting.Telemetry;

/// <summary>
/// <c>GET /metrics</c> as a scraper reads it: metric names, labels and units, the bearer token, <c>metrics: false</c>,
/// bounded labels. Every gateway in the test process feeds the same meter, so each test uses model and provider names
/// of its own and looks only at its own series.
/// </summary>
public sealed class MetricsEndpointTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    private const string Token = "mt-scrape-token-7f3a91";

    private string Yaml(string model, string provider, string telemetry = "{ metrics: true }") => $$"""
        master_key: {{TestConfigs.MasterKey}}
        telemetry: {{telemetry}}
        providers:
          {{provider}}: { type: openai, base_url: "{{mock.BaseUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        models:
          {{model}}: [{ provider: {{provider}}, model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 2 }]
        keys:
          - { key: {{TestConfigs.AliceKey}}, name: alice }
        """;

    [Fact]
    public async Task A_scrape_shows_the_GenAI_and_gateway_metrics_with_their_labels_units_and_buckets()
    {
        await using var gateway = await GatewayInstance.StartAsync(Yaml("mt-text", "mtp-text"));
        using var http = gateway.Client(TestConfigs.AliceKey);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "mt-text", stream: false)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "mt-text", stream: true)).Status);

        var (text, samples) = await ScrapeUntilAsync(gateway, null, s => Sum(s, "switchboard_requests_total", "mt-text") == 2);

        Assert.Contains("# TYPE gen_ai_client_token_usage histogram", text);
        Assert.Contains("# TYPE gen_ai_client_operation_duration_seconds histogram", text);
        Assert.Contains("# TYPE gen_ai_client_operation_time_to_first_chunk_seconds histogram", text);
        Assert.Contains("# TYPE switchboard_requests_total counter", text);
        Assert.Contains("# TYPE switchboard_cost_usd_total counter", text);
        Assert.Contains("# TYPE switchboard_deployment_healthy gauge", text);
        Assert.Contains("# TYPE switchboard_ledger_queue_depth gauge", text);

        var requests = Assert.Single(samples, s => s.Name == "switchboard_requests_total" && s.Label("gen_ai_request_model") == "mt-text");
        Assert.Equal("mtp-text", requests.Label("gen_ai_provider_name"));
        Assert.Equal("chat.completions", requests.Label("switchboard_endpoint"));
        Assert.Equal("200", requests.Label("http_response_status_code"));
        Assert.Equal(2, requests.Value);

        var recorded = gateway.Recorded().Where(r => r.Model == "mt-text").ToList();
        Assert.Equal(2, recorded.Count);
        var input = Assert.Single(samples, s => s.Name == "gen_ai_client_token_usage_sum" && s.Label("gen_ai_request_model") == "mt-text" && s.Label("gen_ai_token_type") == "input");
        Assert.Equal(recorded.Sum(r => r.Usage.PromptTokens), input.Value);
        Assert.Equal("chat", input.Label("gen_ai_operation_name"));
        Assert.Equal("gpt-4o-mini", input.Label("gen_ai_response_model"));
        var output = Assert.Single(samples, s => s.Name == "gen_ai_client_token_usage_sum" && s.Label("gen_ai_request_model") == "mt-text" && s.Label("gen_ai_token_type") == "output");
        Assert.Equal(recorded.Sum(r => r.Usage.CompletionTokens), output.Value);
        // The semantic conventions' bucket boundaries: tokens in powers of 4, durations doubling from 10 ms.
        Assert.Contains(samples, s => s.Name == "gen_ai_client_token_usage_bucket" && s.Label("gen_ai_request_model") == "mt-text" && s.Label("le") == "67108864");
        Assert.Contains(samples, s => s.Name == "gen_ai_client_operation_duration_seconds_bucket" && s.Label("gen_ai_request_model") == "mt-text" && s.Label("le") == "81.92");
        Assert.Equal(2, Sum(samples, "gen_ai_client_operation_duration_seconds_count", "mt-text"));
        Assert.Equal(1, Sum(samples, "gen_ai_client_operation_time_to_first_chunk_seconds_count", "mt-text"));

        var cost = Assert.Single(samples, s => s.Name == "switchboard_cost_usd_total" && s.Label("gen_ai_request_model") == "mt-text");
        Assert.Equal((double)recorded.Sum(r => r.CostUsd!.Value), cost.Value, 9);
        Assert.True(cost.Value > 0);

        var healthy = Assert.Single(samples, s => s.Name == "switchboard_deployment_healthy" && s.Label("gen_ai_provider_name") == "mtp-text");
        Assert.Equal("gpt-4o-mini", healthy.Label("gen_ai_response_model"));
        Assert.Equal(1, healthy.Value);
        Assert.Contains(samples, s => s.Name == "switchboard_upstream_attempts_total" && s.Label("gen_ai_provider_name") == "mtp-text"
            && s.Label("http_response_status_code") == "200" && s.Value == 2);
    }

    [Fact]
    public async Task With_a_token_a_scrape_needs_it_as_a_bearer_and_the_text_holds_no_secret()
    {
        await using var gateway = await GatewayInstance.StartAsync(Yaml("mt-bearer", "mtp-bearer", $"{{ metrics_token: \"{Token}\" }}"));
        using (var http = gateway.Client(TestConfigs.AliceKey)) Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "mt-bearer", stream: false)).Status);
        using var scraper = gateway.Client();

        foreach (var presented in new string?[] { null, "wrong-token", Token + "x", TestConfigs.MasterKey })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            if (presented is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", presented);
            using var refused = await scraper.SendAsync(request);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.DoesNotContain(Token, body, StringComparison.Ordinal);
        }

        var (text, _) = await ScrapeUntilAsync(gateway, Token, s => Sum(s, "switchboard_requests_total", "mt-bearer") == 1);
        foreach (var secret in new[] { Token, TestConfigs.MasterKey, TestConfigs.AliceKey, MockUpstreamFixture.ProviderKey })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task With_metrics_off_there_is_no_metrics_route()
    {
        await using var gateway = await GatewayInstance.StartAsync(Yaml("mt-off", "mtp-off", "{ metrics: false }"));
        using var http = gateway.Client(TestConfigs.MasterKey);

        using var answer = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.DoesNotContain("# TYPE", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_name_the_config_does_not_have_is_labelled_unknown()
    {
        await using var gateway = await GatewayInstance.StartAsync(Yaml("mt-known", "mtp-unknown"));
        using var http = gateway.Client(TestConfigs.AliceKey);
        const string invented = "mt-invented-model-4c2e9";

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(http, invented, stream: false)).Status);

        var (text, samples) = await ScrapeUntilAsync(gateway, null, s => s.Exists(x => x.Name == "switchboard_requests_total"
            && x.Label("gen_ai_request_model") == "unknown" && x.Label("http_response_status_code") == "404"));
        Assert.DoesNotContain(invented, text, StringComparison.Ordinal);
        var unknown = samples.First(s => s.Name == "switchboard_requests_total" && s.Label("gen_ai_request_model") == "unknown" && s.Label("http_response_status_code") == "404");
        Assert.Equal("none", unknown.Label("gen_ai_provider_name"));
    }

    [Fact]
    public async Task Key_and_team_labels_appear_only_when_configured()
    {
        await using var withKeys = await GatewayInstance.StartAsync(Yaml("mt-keys-on", "mtp-keys-on", "{ metrics_key_labels: true }"));
        await using var without = await GatewayInstance.StartAsync(Yaml("mt-keys-off", "mtp-keys-off"));
        using (var http = withKeys.Client(TestConfigs.AliceKey)) Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "mt-keys-on", stream: false)).Status);
        using (var http = without.Client(TestConfigs.AliceKey)) Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, "mt-keys-off", stream: false)).Status);

        var (_, samples) = await ScrapeUntilAsync(without, null,
            s => Sum(s, "switchboard_requests_total", "mt-keys-on") == 1 && Sum(s, "switchboard_requests_total", "mt-keys-off") == 1);

        var on = samples.Single(s => s.Name == "switchboard_requests_total" && s.Label("gen_ai_request_model") == "mt-keys-on");
        Assert.Equal("alice", on.Label("switchboard_key"));
        Assert.Equal("none", on.Label("switchboard_team"));
        Assert.Contains(samples, s => s.Name == "gen_ai_client_token_usage_sum" && s.Label("gen_ai_request_model") == "mt-keys-on" && s.Label("switchboard_key") == "alice");
        Assert.All(samples.Where(s => s.Label("gen_ai_request_model") == "mt-keys-off"), s =>
        {
            Assert.False(s.Labels.ContainsKey("switchboard_key"), $"{s.Name} has a key label");
            Assert.False(s.Labels.ContainsKey("switchboard_team"), $"{s.Name} has a team label");
        });
    }

    private static double Sum(List<PrometheusSample> samples, string name, string model) =>
        samples.Where(s => s.Name == name && s.Label("gen_ai_request_model") == model).Sum(s => s.Value);

    /// <summary>Scrapes until <paramref name="ready"/> holds (a request's metrics are recorded just after its last byte).</summary>
    private static async Task<(string Text, List<PrometheusSample> Samples)> ScrapeUntilAsync(GatewayInstance gateway, string? token,
        Func<List<PrometheusSample>, bool> ready)
    {
        using var http = gateway.Client(token);
        for (var i = 0; ; i++)
        {
            using var answer = await http.GetAsync("/metrics");
            var text = await answer.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.StartsWith("text/plain", answer.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            var samples = PrometheusText.Parse(text);
            if (ready(samples) || i == 100) return (text, samples);
            await Task.Delay(50);
        }
    }
}
