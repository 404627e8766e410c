using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>Each kind of timeout, the client's own cancel, and streams that fail before or after their first byte.</summary>
public sealed class TimeoutAndStreamTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    [Fact]
    public async Task Slow_response_headers_hit_the_first_byte_timeout()
    {
        await using var gateway = await StartAsync(
            Provider("slow", mock.BaseUrl, "latency_ms=3000;words=120", "timeouts: { first_byte: 300ms }"),
            OneDeployment("slow"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.Equal(HttpStatusCode.GatewayTimeout, answer.Status);
        Assert.Equal("upstream_timeout", answer.ErrorCode);
        Assert.True(answer.Elapsed < TimeSpan.FromSeconds(2.5), $"took {answer.Elapsed}");
    }

    [Fact]
    public async Task A_silent_stream_hits_the_idle_timeout_and_ends_with_an_error_event()
    {
        await using var gateway = await StartAsync(
            Provider("stalling", mock.BaseUrl, "chunk_delay_ms=2000;words=121"),
            """
            m:
              timeouts: { idle: 300ms }
              deployments: [{ provider: stalling, model: gpt-4o-mini }]
            """, OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.Equal("explicit", Verdict(answer, stream: true));
        var error = JsonDocument.Parse(answer.Events[^1]).RootElement.GetProperty("error");
        Assert.Contains(error.GetProperty("code").GetString(), new[] { "upstream_idle_timeout", "upstream_timeout" });
    }

    [Fact]
    public async Task A_stream_that_runs_too_long_hits_the_total_timeout_with_partial_usage_in_the_ledger()
    {
        await using var gateway = await StartAsync(
            Provider("long", mock.BaseUrl, "chunk_delay_ms=100;words=60"),
            """
            m:
              - { provider: long, model: gpt-4o-mini, timeouts: { total: 800ms, idle: 5s } }
            """, OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.Equal("explicit", Verdict(answer, stream: true));
        Assert.True(answer.Events.Count > 3, "chunks before the deadline reached the client");
        var error = JsonDocument.Parse(answer.Events[^1]).RootElement.GetProperty("error");
        Assert.Equal("upstream_timeout", error.GetProperty("code").GetString());
        var row = await answer.RowAsync(gateway);
        Assert.Equal(504, row.GetProperty("status").GetInt32());
        Assert.True(row.GetProperty("ttft_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task The_client_cancel_wins_the_upstream_is_cancelled_and_nothing_is_retried()
    {
        await using var gateway = await StartAsync(
            Provider("slow", mock.BaseUrl, "latency_ms=4000;words=122") + "\n" + Provider("healthy", mock.BaseUrl, "words=123"),
            PriorityModel("slow", "healthy"));
        using var http = gateway.Client(TestConfigs.MasterKey);
        http.Timeout = TimeSpan.FromMilliseconds(1000);

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => http.PostAsync("/v1/chat/completions", Chat("m", stream: false)));
        await Task.Delay(4000); // past the slow upstream: a retry, had there been one, would have happened by now

        var requests = await mock.RequestsAsync();
        Assert.True(requests.Count(r => r.GetProperty("knobs").ToString().Contains("122", StringComparison.Ordinal)) <= 1);
        Assert.DoesNotContain(requests, r => r.GetProperty("knobs").ToString().Contains("123", StringComparison.Ordinal));
        using var admin = gateway.Client(TestConfigs.MasterKey);
        var logs = JsonDocument.Parse(await admin.GetStringAsync("/admin/logs?status=499")).RootElement.GetProperty("data");
        Assert.Equal(1, logs.GetArrayLength());
        Assert.Equal(0, (await DeploymentAsync(gateway, "m", "slow")).GetProperty("failures").GetInt64()); // not the deployment's fault
    }

    [Fact]
    public async Task Garbage_mid_stream_never_reaches_an_openai_client_it_gets_an_error_event()
    {
        await using var gateway = await StartAsync(
            Provider("garbled", mock.BaseUrl, "garbage_after=2;words=30"),
            OneDeployment("garbled"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.DoesNotContain("not json", answer.Body, StringComparison.Ordinal);
        Assert.Equal("explicit", Verdict(answer, stream: true));
        Assert.Equal(3, answer.Events.Count); // two relayed chunks, then the error
        Assert.Equal("upstream_invalid_response", answer.LastEventErrorCode);
    }

    [Fact]
    public async Task Garbage_mid_stream_on_the_anthropic_passthrough_ends_with_an_anthropic_error_event()
    {
        await using var gateway = await StartAsync(
            AnthropicProvider("claude", mock.BaseUrl, "garbage_after=3;words=30"), OneDeployment("claude", "claude-sonnet-4-6"), OneAttempt);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await MessagesAsync(http, stream: true);

        AssertAnthropicStreamEndedWithAnError(answer);
        Assert.DoesNotContain("not json", answer.Body, StringComparison.Ordinal);
        Assert.EndsWith("}\n\n", answer.Body.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_cut_before_its_first_byte_falls_over_invisibly()
    {
        await using var gateway = await StartAsync(
            Provider("cut", mock.BaseUrl, "reset_after=0;words=124") + "\n" + Provider("healthy", mock.BaseUrl),
            PriorityModel("cut", "healthy"));
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: true);

        Assert.Equal("ok", Verdict(answer, stream: true));
        Assert.Equal("2", answer.Header("x-switchboard-attempts"));
        Assert.Equal("cut:502,healthy:200", await answer.AttemptLogAsync(gateway));
    }
}
