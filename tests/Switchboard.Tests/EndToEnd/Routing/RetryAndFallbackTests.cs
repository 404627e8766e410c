using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>Retries, backoff, Retry-After, cooldown and the special fallback chains, against the mock's fault knobs.</summary>
public sealed class RetryAndFallbackTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    private const string Fast = "routing: { backoff: 5ms, max_backoff: 20ms }";

    [Fact]
    public async Task Client_errors_are_never_retried()
    {
        await using var gateway = await StartAsync(
            Provider("picky", mock.BaseUrl, "status=400;words=101") + "\n" + Provider("healthy", mock.BaseUrl, "words=102"),
            PriorityModel("picky", "healthy"), Fast);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("invalid_request_error", answer.Json.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("1", answer.Header("x-switchboard-attempts"));
        Assert.Equal("picky:400", await answer.AttemptLogAsync(gateway));
        Assert.DoesNotContain(await mock.RequestsAsync(), r => r.GetProperty("knobs").ToString().Contains("102", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_short_retry_after_is_waited_for_then_the_same_deployment_answers()
    {
        await using var gateway = await StartAsync(
            Provider("limited", mock.BaseUrl, "fail_first=1;status=429;retry_after=1;words=103"),
            OneDeployment("limited"), Fast);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("2", answer.Header("x-switchboard-attempts"));
        Assert.True(answer.Elapsed >= TimeSpan.FromMilliseconds(950), $"answered after {answer.Elapsed.TotalMilliseconds} ms, before the upstream's Retry-After");
        Assert.Equal("limited:429,limited:200", await answer.AttemptLogAsync(gateway));
    }

    [Fact]
    public async Task A_long_retry_after_is_not_slept_through_the_deployment_cools_down_instead()
    {
        await using var gateway = await StartAsync(
            Provider("limited", mock.BaseUrl, "status=429;retry_after=60;words=104") + "\n" + Provider("healthy", mock.BaseUrl),
            PriorityModel("limited", "healthy"), Fast);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var first = await SendAsync(http, "m", stream: false);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("2", first.Header("x-switchboard-attempts"));
        Assert.True(first.Elapsed < TimeSpan.FromSeconds(5));

        var limited = await DeploymentAsync(gateway, "m", "limited");
        Assert.Equal("cooling_down", limited.GetProperty("state").GetString());
        Assert.Equal(429, limited.GetProperty("last_error").GetProperty("status").GetInt32());
        var until = limited.GetProperty("cooldown_until").GetDateTimeOffset();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(61));

        var second = await SendAsync(http, "m", stream: false);
        Assert.Equal("1", second.Header("x-switchboard-attempts"));
        Assert.Equal("healthy", second.Header("x-switchboard-provider"));
    }

    [Fact]
    public async Task Consecutive_failures_cool_a_deployment_down_and_a_probe_brings_it_back()
    {
        await using var gateway = await StartAsync(
            Provider("flaky", mock.BaseUrl, "fail_first=3;status=500;words=105") + "\n" + Provider("healthy", mock.BaseUrl),
            PriorityModel("flaky", "healthy"), "routing: { backoff: 5ms, cooldown_failures: 3, cooldown: 3s }");
        using var http = gateway.Client(TestConfigs.MasterKey);

        for (var i = 0; i < 3; i++)
        {
            var failedOver = await SendAsync(http, "m", stream: false);
            Assert.Equal(HttpStatusCode.OK, failedOver.Status);
            Assert.Equal("2", failedOver.Header("x-switchboard-attempts"));
        }
        var cooling = await DeploymentAsync(gateway, "m", "flaky");
        Assert.Equal("cooling_down", cooling.GetProperty("state").GetString());
        Assert.Equal(3, cooling.GetProperty("consecutive_failures").GetInt32());

        var skipped = await SendAsync(http, "m", stream: false);
        Assert.Equal("1", skipped.Header("x-switchboard-attempts"));
        Assert.Equal("healthy", skipped.Header("x-switchboard-provider"));

        await Task.Delay(TimeSpan.FromMilliseconds(3200)); // the cooldown ends; the next request is the probe
        var probe = await SendAsync(http, "m", stream: false);
        Assert.Equal(HttpStatusCode.OK, probe.Status);
        Assert.Equal("flaky", probe.Header("x-switchboard-provider"));
        var back = await DeploymentAsync(gateway, "m", "flaky", r => r.GetProperty("state").GetString() == "healthy");
        Assert.Equal("healthy", back.GetProperty("state").GetString());
        Assert.Equal(0, back.GetProperty("consecutive_failures").GetInt32());
    }

    [Fact]
    public async Task When_every_deployment_is_cooling_down_the_least_bad_one_is_still_tried()
    {
        await using var gateway = await StartAsync(
            Provider("once", mock.BaseUrl, "fail_first=1;status=429;retry_after=30;words=106"),
            OneDeployment("once"), Fast);
        using var http = gateway.Client(TestConfigs.MasterKey);

        var refused = await SendAsync(http, "m", stream: false);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("30", refused.Response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("cooling_down", (await DeploymentAsync(gateway, "m", "once")).GetProperty("state").GetString());

        var tried = await SendAsync(http, "m", stream: false);
        Assert.Equal(HttpStatusCode.OK, tried.Status);
        Assert.Equal("healthy", (await DeploymentAsync(gateway, "m", "once", r => r.GetProperty("state").GetString() == "healthy")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_fallback_chain_follows_the_model_own_deployments()
    {
        await using var gateway = await StartAsync(
            Provider("down", mock.BaseUrl, "status=503;words=107") + "\n" + Provider("healthy", mock.BaseUrl),
            """
            primary: [{ provider: down, model: gpt-4o-mini }]
            backup: [{ provider: healthy, model: gpt-4o }]
            """, Fast + "\nfallbacks:\n  primary: [backup]");
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "primary", stream: true);

        Assert.Equal("ok", Verdict(answer, stream: true));
        var row = await answer.RowAsync(gateway);
        Assert.Equal("gpt-4o", row.GetProperty("upstream_model").GetString());
        Assert.StartsWith("down:503,", row.GetProperty("attempt_log").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("healthy:200", row.GetProperty("attempt_log").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_window_refusals_go_only_to_the_models_configured_for_them()
    {
        await using var gateway = await StartAsync(
            Provider("short", mock.BaseUrl, "error=context_length") + "\n" + Provider("long", mock.BaseUrl, "words=108"),
            """
            small:
              strategy: priority
              deployments:
                - { provider: short, model: gpt-4o-mini }
                - { provider: long, model: gpt-4o-mini }
            unconfigured: [{ provider: short, model: gpt-4o-mini }]
            big: [{ provider: long, model: gpt-4.1 }]
            """, Fast + "\nfallbacks:\n  unconfigured: [big]\ncontext_window_fallbacks:\n  small: [big]");
        using var http = gateway.Client(TestConfigs.MasterKey);

        var small = await SendAsync(http, "small", stream: false);
        var smallRow = await small.RowAsync(gateway);
        // "small"'s other deployment is never asked (it has the same window): its context-window chain answers.
        Assert.Equal(HttpStatusCode.OK, small.Status);
        Assert.Equal("short:400,long:200", smallRow.GetProperty("attempt_log").GetString());
        Assert.Equal("gpt-4.1", smallRow.GetProperty("upstream_model").GetString());

        // The ordinary fallbacks do not apply to a context-window refusal: the client sees it, unretried.
        var unconfigured = await SendAsync(http, "unconfigured", stream: false);
        Assert.Equal(HttpStatusCode.BadRequest, unconfigured.Status);
        Assert.Equal("context_length_exceeded", unconfigured.ErrorCode);
        Assert.Equal("1", unconfigured.Header("x-switchboard-attempts"));
    }

    [Fact]
    public async Task Context_window_chain_is_used_whichever_deployment_refused()
    {
        await using var gateway = await StartAsync(
            Provider("short", mock.BaseUrl, "error=context_length;words=109") + "\n" + Provider("long", mock.BaseUrl, "words=110"),
            """
            small: [{ provider: short, model: gpt-4o-mini }]
            big: [{ provider: long, model: gpt-4.1 }]
            """, Fast + "\ncontext_window_fallbacks:\n  small: [big]\ncontent_policy_fallbacks:\n  big: [small]");
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "small", stream: true);

        Assert.Equal("ok", Verdict(answer, stream: true));
        Assert.Equal("2", answer.Header("x-switchboard-attempts"));
        Assert.Equal("short:400,long:200", await answer.AttemptLogAsync(gateway));
    }

    [Fact]
    public async Task Content_policy_refusals_use_their_own_chain()
    {
        await using var gateway = await StartAsync(
            Provider("strict", mock.BaseUrl, "error=content_policy") + "\n" + Provider("lenient", mock.BaseUrl, "words=111"),
            """
            a: [{ provider: strict, model: gpt-4o-mini }]
            b: [{ provider: lenient, model: gpt-4o-mini }]
            c: [{ provider: strict, model: gpt-4o }]
            """, Fast + "\ncontent_policy_fallbacks:\n  a: [b]\ncontext_window_fallbacks:\n  c: [b]");
        using var http = gateway.Client(TestConfigs.MasterKey);

        var a = await SendAsync(http, "a", stream: false);
        Assert.Equal(HttpStatusCode.OK, a.Status);
        Assert.Equal("lenient", a.Header("x-switchboard-provider"));

        var c = await SendAsync(http, "c", stream: false); // only a context-window chain: a policy refusal stays a refusal
        Assert.Equal(HttpStatusCode.BadRequest, c.Status);
        Assert.Equal("content_policy_violation", c.ErrorCode);
    }

    [Fact]
    public async Task The_attempt_cap_bounds_retries_and_the_last_upstream_status_reaches_the_client()
    {
        await using var gateway = await StartAsync(
            Provider("a", mock.BaseUrl, "status=500;words=112") + "\n" + Provider("b", mock.BaseUrl, "status=503;words=113"),
            PriorityModel("a", "b"), "routing: { backoff: 5ms, max_backoff: 20ms, max_attempts: 3, cooldown_failures: 10 }");
        using var http = gateway.Client(TestConfigs.MasterKey);

        var answer = await SendAsync(http, "m", stream: false);

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal("upstream_error", answer.Json.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("3", answer.Header("x-switchboard-attempts"));
        Assert.Equal("a:500,b:503,a:500", await answer.AttemptLogAsync(gateway));
    }

    [Fact]
    public async Task Admin_deployments_and_reload_need_the_master_key()
    {
        await using var gateway = await StartAsync(Provider("p", mock.BaseUrl), OneDeployment("p"));
        using var http = gateway.Client("sb-not-the-master");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/deployments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/admin/reload", null)).StatusCode);

        var row = await DeploymentAsync(gateway, "m", "p");
        Assert.Equal("healthy", row.GetProperty("state").GetString());
        Assert.Equal("weighted", row.GetProperty("strategy").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("latency_ewma_ms").ValueKind);
    }
}
