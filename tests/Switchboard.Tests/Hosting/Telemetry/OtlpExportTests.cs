using System.Security.Cryptography;
using Switchboard.Tests.Hosting.Telemetry.Otlp;

namespace Switchboard.Tests.Hosting.Telemetry;

/// <summary>
/// Traces and metrics over OTLP (issue 23, items 2 and 5): the real executable, configured only by the standard
/// <c>OTEL_*</c> environment variables, exports to a test OTLP/HTTP collector on loopback; the tests read what an
/// operator's backend would show.
/// </summary>
public sealed class OtlpExportTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    private const string Key = TestConfigs.AliceKey;
    private const string Prompt = "the-secret-recipe-is-cardamom";

    /// <summary>The usual test models, plus <c>flaky</c> (a down deployment, then a good one), <c>broken</c> and <c>claude</c>.</summary>
    private string Yaml(string telemetry = "") => TestConfigs.WithKeys(mock.BaseUrl,
        extraProviders: $$"""
              down: { type: openai, base_url: "{{mock.BaseUrl}}/_knobs/status=503/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
              anthropic: { type: anthropic, base_url: "{{mock.BaseUrl}}", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
            """,
        extraModels: """
              flaky: [{ provider: down, model: gpt-4o-mini, priority: 1 }, { provider: mock, model: gpt-4o, priority: 2 }]
              broken: [{ provider: down, model: gpt-4o-mini }]
              claude: [{ provider: anthropic, model: claude-sonnet-4-5 }]
            """,
        extraTopLevel: $"{telemetry}\nrouting: {{ strategy: priority, max_attempts: 2, backoff: 1ms }}");

    /// <summary>The variables an operator sets to export to the collector over OTLP/HTTP, exporting often.</summary>
    private static Dictionary<string, string?> OtlpEnvironment(OtlpCollector collector) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseUrl,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
    };

    private static HttpRequestMessage Chat(string model, bool stream = false, string? traceParent = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"max_tokens":50,"messages":[{"role":"user","content":"{{Prompt}}"}]}""",
                Encoding.UTF8, "application/json"),
        };
        if (traceParent is not null) request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        return request;
    }

    /// <summary>The request span of the request the gateway answered with <paramref name="requestId"/>.</summary>
    private static Task<ReceivedSpan> RequestSpanAsync(OtlpCollector collector, string requestId, string path = "/v1/traces") =>
        collector.WaitForAsync(c => c.Spans(path).FirstOrDefault(s => s.Attr("switchboard.request_id") == requestId), $"the span of request {requestId}");

    /// <summary>The attempt spans under <paramref name="request"/>, in the order they started.</summary>
    private static async Task<ReceivedSpan[]> AttemptSpansAsync(OtlpCollector collector, ReceivedSpan request, int expected)
    {
        var attempts = await collector.WaitForAsync(
            c => c.Spans().Where(s => s.ParentSpanId == request.SpanId).ToArray() is { } found && found.Length >= expected ? found : null,
            $"{expected} attempt spans under {request.Name}");
        return [.. attempts.OrderBy(s => s.Span.StartTimeUnixNano)];
    }

    /// <summary>A W3C traceparent's trace id, parent id and sampled flag (the other flag bits vary: .NET sets "random").</summary>
    private static (string TraceId, string ParentId, bool Sampled) ParseTraceParent(string? header)
    {
        var parts = header!.Split('-');
        Assert.Equal(4, parts.Length);
        Assert.Equal("00", parts[0]);
        return (parts[1], parts[2], (Convert.ToByte(parts[3], 16) & 1) == 1);
    }

    [Fact]
    public async Task A_request_exports_a_gen_ai_span_under_the_clients_trace_with_one_attempt_span_whose_context_goes_upstream()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(Yaml(), OtlpEnvironment(collector));
        using var client = gateway.Client(Key);
        var clientTraceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var clientSpanId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

        using var response = await client.SendAsync(Chat("chat", traceParent: $"00-{clientTraceId}-{clientSpanId}-01"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        var upstreamHeaders = (await mock.LastRequestAsync()).GetProperty("headers");

        var span = await RequestSpanAsync(collector, response.Headers.GetValues("x-request-id").Single());
        Assert.Equal("switchboard", span.Service);
        Assert.Equal("Switchboard", span.Scope);
        Assert.Equal("chat chat", span.Name);
        Assert.Equal(Span.Types.SpanKind.Server, span.Span.Kind);
        Assert.Equal(clientTraceId, span.TraceId);
        Assert.Equal(clientSpanId, span.ParentSpanId);
        Assert.Equal("chat", span.Attr("gen_ai.operation.name"));
        Assert.Equal("chat", span.Attr("gen_ai.request.model"));
        Assert.Equal("gpt-4o-mini", span.Attr("gen_ai.response.model"));
        Assert.Equal("openai", span.Attr("gen_ai.provider.name"));
        Assert.Equal(50, span.Number("gen_ai.request.max_tokens"));
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64(), span.Number("gen_ai.usage.input_tokens"));
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt64(), span.Number("gen_ai.usage.output_tokens"));
        Assert.Equal("alice", span.Attr("switchboard.key.name"));
        Assert.Equal(200, span.Number("http.response.status_code"));
        Assert.Equal(1, span.Number("switchboard.attempts"));
        Assert.False(span.IsError);

        var attempt = Assert.Single(await AttemptSpansAsync(collector, span, 1));
        Assert.Equal("chat gpt-4o-mini", attempt.Name);
        Assert.Equal(Span.Types.SpanKind.Client, attempt.Span.Kind);
        Assert.Equal(clientTraceId, attempt.TraceId);
        Assert.Equal("gpt-4o-mini", attempt.Attr("gen_ai.request.model"));
        Assert.Equal("openai", attempt.Attr("gen_ai.provider.name"));
        Assert.Equal("mock", attempt.Attr("switchboard.provider"));
        Assert.Equal("127.0.0.1", attempt.Attr("server.address"));
        Assert.Equal("completed", attempt.Attr("switchboard.outcome"));
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt64(), attempt.Number("gen_ai.usage.output_tokens"));

        // W3C trace context upstream: the client's trace, the attempt span as the parent.
        Assert.Equal($"00-{clientTraceId}-{attempt.SpanId}-01", upstreamHeaders.GetProperty("traceparent").GetString());
    }

    [Fact]
    public async Task A_fallback_has_one_attempt_span_per_try_and_a_request_that_failed_everywhere_is_an_error_span()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(Yaml(), OtlpEnvironment(collector));
        using var client = gateway.Client(Key);

        using var recovered = await client.SendAsync(Chat("flaky"));
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        var span = await RequestSpanAsync(collector, recovered.Headers.GetValues("x-request-id").Single());
        Assert.False(span.IsError);
        Assert.Equal(2, span.Number("switchboard.attempts"));
        var attempts = await AttemptSpansAsync(collector, span, 2);
        Assert.Equal(2, attempts.Length);
        Assert.Equal(["down", "mock"], attempts.Select(a => a.Attr("switchboard.provider")));
        Assert.Equal(["first", "fallback"], attempts.Select(a => a.Attr("switchboard.attempt.kind")));
        Assert.True(attempts[0].IsError);
        Assert.Equal(503, attempts[0].Number("http.response.status_code"));
        Assert.True(attempts[0].Has("error.type"));
        Assert.False(attempts[1].IsError);
        Assert.All(attempts, a => Assert.Equal(span.TraceId, a.TraceId));
        // Each attempt carried its own span's context upstream.
        var traceParents = (await mock.RequestsAsync())[^2..].Select(r => r.GetProperty("headers").GetProperty("traceparent").GetString());
        Assert.Equal(attempts.Select(a => (span.TraceId, a.SpanId, true)), traceParents.Select(ParseTraceParent));

        using var failed = await client.SendAsync(Chat("broken"));
        Assert.True((int)failed.StatusCode >= 500);
        var failedSpan = await RequestSpanAsync(collector, failed.Headers.GetValues("x-request-id").Single());
        Assert.True(failedSpan.IsError);
        Assert.Equal((int)failed.StatusCode, failedSpan.Number("http.response.status_code"));
        Assert.False(string.IsNullOrEmpty(failedSpan.Attr("error.type")));
        Assert.False(failedSpan.Has("gen_ai.response.model"));
        var failedAttempts = await AttemptSpansAsync(collector, failedSpan, 2);
        Assert.Equal(["first", "retry"], failedAttempts.Select(a => a.Attr("switchboard.attempt.kind")));
        Assert.All(failedAttempts, a => Assert.True(a.IsError));
    }

    [Fact]
    public async Task A_stream_span_ends_with_the_stream_and_records_time_to_first_token()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(Yaml(), OtlpEnvironment(collector));
        using var client = gateway.Client(Key);

        using var response = await client.SendAsync(Chat("chat", stream: true));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("[DONE]", Sse.DataEvents(body)[^1]);

        var span = await RequestSpanAsync(collector, response.Headers.GetValues("x-request-id").Single());
        Assert.Equal(200, span.Number("http.response.status_code"));
        Assert.True(span.Has("switchboard.time_to_first_token_ms"));
        Assert.True(span.Number("gen_ai.usage.output_tokens") > 0);
        var attempt = Assert.Single(await AttemptSpansAsync(collector, span, 1));
        var firstToken = Assert.Single(attempt.Span.Events, e => e.Name == "gen_ai.first_token");
        Assert.InRange(firstToken.TimeUnixNano, attempt.Span.StartTimeUnixNano, attempt.Span.EndTimeUnixNano);
        Assert.True(span.Span.EndTimeUnixNano >= attempt.Span.EndTimeUnixNano);
    }

    [Fact]
    public async Task An_anthropic_request_is_a_chat_span_of_provider_anthropic()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var gateway = await GatewayProcess.StartAsync(Yaml(), OtlpEnvironment(collector));
        using var client = gateway.Client(Key);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"claude","max_tokens":64,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");

        var span = await RequestSpanAsync(collector, response.Headers.GetValues("x-request-id").Single());
        Assert.Equal("chat claude", span.Name);
        Assert.Equal("anthropic", span.Attr("gen_ai.provider.name"));
        Assert.Equal(usage.GetProperty("input_tokens").GetInt64(), span.Number("gen_ai.usage.input_tokens"));
        Assert.Equal(usage.GetProperty("output_tokens").GetInt64(), span.Number("gen_ai.usage.output_tokens"));
    }

    [Fact]
    public async Task Prompts_and_answers_are_exported_only_with_trace_content_and_no_secret_ever_is()
    {
        await using var collector = await OtlpCollector.StartAsync();
        string defaultRequest;
        await using (var gateway = await GatewayProcess.StartAsync(Yaml(), OtlpEnvironment(collector)))
        {
            using var client = gateway.Client(Key);
            using var response = await client.SendAsync(Chat("chat"));
            Assert.Contains(Prompt, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the mock echoes it
            defaultRequest = response.Headers.GetValues("x-request-id").Single();
            await RequestSpanAsync(collector, defaultRequest);
        }
        var withoutContent = collector.Spans().Where(s => s.TraceId == collector.Spans().Single(r => r.Attr("switchboard.request_id") == defaultRequest).TraceId).ToArray();
        Assert.Equal(2, withoutContent.Length);
        Assert.All(withoutContent, s => Assert.DoesNotContain(Prompt, s.Text, StringComparison.Ordinal));
        Assert.All(withoutContent, s => Assert.DoesNotContain(s.Keys, k => k.StartsWith("gen_ai.input", StringComparison.Ordinal) || k.StartsWith("gen_ai.output", StringComparison.Ordinal)));

        await using (var gateway = await GatewayProcess.StartAsync(Yaml("telemetry: { trace_content: true }"), OtlpEnvironment(collector)))
        {
            using var client = gateway.Client(Key);
            using var response = await client.SendAsync(Chat("chat"));
            var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement
                .GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
            var span = await RequestSpanAsync(collector, response.Headers.GetValues("x-request-id").Single());
            var input = JsonDocument.Parse(span.Attr("gen_ai.input.messages")!).RootElement;
            Assert.Equal(Prompt, input[0].GetProperty("content").GetString());
            var output = JsonDocument.Parse(span.Attr("gen_ai.output.messages")!).RootElement;
            Assert.Equal(answer, output[0].GetProperty("message").GetProperty("content").GetString());
        }

        // Nothing any export carried (spans, metrics, resources) holds a credential, in any of the runs.
        await collector.WaitForAsync(c => c.Metrics().Length > 0 ? c.Metrics() : null, "metrics");
        foreach (var (_, body) in collector.Exports)
        {
            var bytes = Encoding.UTF8.GetString(body);
            foreach (var secret in new[] { Key, MockUpstreamFixture.ProviderKey, TestConfigs.MasterKey })
            {
                Assert.DoesNotContain(secret, bytes, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Metrics_are_exported_over_otlp_under_the_service_name()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var environment = OtlpEnvironment(collector);
        environment["OTEL_SERVICE_NAME"] = "gateway-eu-1";
        await using var gateway = await GatewayProcess.StartAsync(Yaml(), environment);
        using var client = gateway.Client(Key);
        using var response = await client.SendAsync(Chat("chat"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var metrics = await collector.WaitForAsync(c => c.Metrics() is { Length: > 0 } m ? m : null, "an OTLP metrics export");
        Assert.Contains(metrics, m => m.Scope == "System.Runtime" && m.Name.StartsWith("dotnet.", StringComparison.Ordinal));
        Assert.All(metrics, m => Assert.Equal("gateway-eu-1", m.Service));
        // The gateway's own instruments (the same ones /metrics shows) go out over OTLP as well.
        var gatewayMetrics = await collector.WaitForAsync(
            c => c.Metrics().Where(m => m.Scope == "Switchboard").Select(m => m.Name).ToHashSet() is var names
                && names.Contains("gen_ai.client.token.usage") && names.Contains("switchboard.requests") ? names : null,
            "the gateway's request metrics in an OTLP export");
        Assert.Contains("gen_ai.client.operation.duration", gatewayMetrics);
        var span = await RequestSpanAsync(collector, response.Headers.GetValues("x-request-id").Single());
        Assert.Equal("gateway-eu-1", span.Service);
    }

    [Fact]
    public async Task A_traces_only_endpoint_receives_the_spans_at_its_own_path()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var environment = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = collector.BaseUrl + "/tenant-7/traces",
            ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        };
        await using var gateway = await GatewayProcess.StartAsync(Yaml(), environment);
        using var client = gateway.Client(Key);
        using var response = await client.SendAsync(Chat("chat"));

        var span = await RequestSpanAsync(collector, response.Headers.GetValues("x-request-id").Single(), "/tenant-7/traces");
        Assert.Equal("chat chat", span.Name);
        Assert.DoesNotContain(collector.Exports, e => e.Path != "/tenant-7/traces");
    }
}
