using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// A real Prometheus server scrapes the gateway's <c>/metrics</c> (with the bearer token) while requests go through it
/// to the mock upstream: successes, a stream, an upstream error, a failover and a limit refusal; then its query API
/// must show what a user would look for. Model and provider names are this test's own (every gateway in the test
/// process feeds the same meter).
/// </summary>
public sealed class PrometheusScrapeTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    private const string Token = "pe-scrape-token-51d0c3";
    private const string UserKey = "sb-pe-user-000111";
    private const string LimitedKey = "sb-pe-limited-000222";

    [Fact]
    public async Task Prometheus_sees_requests_tokens_cost_retries_fallbacks_refusals_and_time_to_first_chunk()
    {
        await using var gateway = await GatewayInstance.StartAsync($$"""
            master_key: {{TestConfigs.MasterKey}}
            telemetry: { metrics_token: "{{Token}}" }
            routing: { backoff: 5ms, max_backoff: 20ms }
            providers:
              {{Provider("pe-ok", mock.BaseUrl)}}
              {{Provider("pe-down", mock.BaseUrl, "status=500")}}
              {{Provider("pe-picky", mock.BaseUrl, "status=400")}}
            models:
              pe-chat: [{ provider: pe-ok, model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 2 }]
              pe-failover:
                strategy: priority
                deployments:
                  - { provider: pe-down, model: gpt-4o-mini }
                  - { provider: pe-ok, model: gpt-4o-mini }
              pe-broken: [{ provider: pe-picky, model: gpt-4o-mini }]
            keys:
              - { key: {{UserKey}}, name: pe-user }
              - { key: {{LimitedKey}}, name: pe-limited, rpm: 1 }
            """);
        var target = new Uri(gateway.BaseUrl).Authority;
        await using var prometheus = await PrometheusServer.StartAsync($$"""
              - job_name: switchboard
                authorization: { type: Bearer, credentials: "{{Token}}" }
                static_configs: [{ targets: ["{{target}}"] }]
              - job_name: switchboard-wrong-token
                authorization: { type: Bearer, credentials: "not-the-token" }
                static_configs: [{ targets: ["{{target}}"] }]
            """);

        long input = 0, output = 0;
        using (var user = gateway.Client(UserKey))
        {
            for (var i = 0; i < 2; i++)
            {
                var answer = await SendAsync(user, "pe-chat", stream: false);
                Assert.Equal(HttpStatusCode.OK, answer.Status);
                input += answer.Json.GetProperty("usage").GetProperty("prompt_tokens").GetInt64();
                output += answer.Json.GetProperty("usage").GetProperty("completion_tokens").GetInt64();
            }
            using var streamed = await user.PostAsync("/v1/chat/completions", new StringContent(
                """{"model":"pe-chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"stream to me"}]}""",
                Encoding.UTF8, "application/json"));
            var usage = Sse.JsonChunks(await streamed.Content.ReadAsStringAsync()).Last(c => c.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object).GetProperty("usage");
            input += usage.GetProperty("prompt_tokens").GetInt64();
            output += usage.GetProperty("completion_tokens").GetInt64();

            var failover = await SendAsync(user, "pe-failover", stream: false);
            Assert.Equal(HttpStatusCode.OK, failover.Status);
            Assert.Equal("pe-ok", failover.Header("x-switchboard-provider"));
            Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(user, "pe-broken", stream: false)).Status);
        }
        using (var limited = gateway.Client(LimitedKey))
        {
            var admitted = await SendAsync(limited, "pe-chat", stream: false);
            Assert.Equal(HttpStatusCode.OK, admitted.Status);
            input += admitted.Json.GetProperty("usage").GetProperty("prompt_tokens").GetInt64();
            output += admitted.Json.GetProperty("usage").GetProperty("completion_tokens").GetInt64();
            Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(limited, "pe-chat", stream: false)).Status);
        }

        var failures = new List<string>();
        async Task Expect(string promql, double expected)
        {
            var value = await prometheus.WaitForAsync(promql, expected);
            if (value is not { } v || Math.Abs(v - expected) > 1e-9) failures.Add($"{promql} = {value?.ToString() ?? "no series"}, expected {expected}");
        }
        await Expect("""up{job="switchboard"}""", 1);
        await Expect("""up{job="switchboard-wrong-token"}""", 0);
        await Expect("""sum(switchboard_requests_total{gen_ai_request_model=~"pe-.*"})""", 7);
        await Expect("""sum(switchboard_requests_total{gen_ai_request_model="pe-chat",gen_ai_provider_name="pe-ok",http_response_status_code="200"})""", 4);
        await Expect("""sum(switchboard_requests_total{gen_ai_request_model="pe-chat",gen_ai_provider_name="none",http_response_status_code="429"})""", 1);
        await Expect("""sum(switchboard_requests_total{gen_ai_request_model="pe-failover",gen_ai_provider_name="pe-ok",http_response_status_code="200"})""", 1);
        await Expect("""sum(switchboard_requests_total{gen_ai_request_model="pe-broken",gen_ai_provider_name="pe-picky",http_response_status_code="400"})""", 1);
        await Expect("""sum(gen_ai_client_token_usage_sum{gen_ai_request_model="pe-chat",gen_ai_token_type="input"})""", input);
        await Expect("""sum(gen_ai_client_token_usage_sum{gen_ai_request_model="pe-chat",gen_ai_token_type="output"})""", output);
        await Expect("""sum(gen_ai_client_token_usage_count{gen_ai_request_model="pe-chat",gen_ai_token_type="output"})""", 4);
        // $1 per million input tokens, $2 per million output tokens; rounded to a micro-dollar against float sums.
        await Expect("""round(sum(switchboard_cost_usd_total{gen_ai_request_model="pe-chat"}) * 1e6)""", Math.Round(input * 1.0 + output * 2.0));
        await Expect("""sum(gen_ai_client_operation_time_to_first_chunk_seconds_count{gen_ai_request_model="pe-chat"})""", 1);
        await Expect("""sum(gen_ai_client_operation_duration_seconds_count{gen_ai_request_model="pe-broken",error_type="400"})""", 1);
        await Expect("""sum(switchboard_upstream_attempts_total{gen_ai_provider_name="pe-down",http_response_status_code="500"})""", 1);
        await Expect("""sum(switchboard_upstream_retries_total{gen_ai_provider_name="pe-ok"})""", 1);
        await Expect("""sum(switchboard_fallbacks_total{gen_ai_provider_name="pe-ok"})""", 1);
        await Expect("""switchboard_deployment_healthy{gen_ai_provider_name="pe-ok"}""", 1);
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + prometheus.Log);

        // Other gateways in this process may be refused too: at least this one's refusal is there.
        var refusals = await prometheus.QueryAsync("""sum(switchboard_limit_refusals_total{switchboard_limit="rpm",switchboard_limit_scope="key"})""");
        Assert.True(refusals >= 1, $"rpm refusals: {refusals}");
    }
}
