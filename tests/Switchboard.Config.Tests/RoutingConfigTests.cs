using Switchboard.Config;

namespace Switchboard.Config.Tests;

public sealed class RoutingConfigTests
{
    private const string Providers = """
        providers:
          p: { type: openai, base_url: http://localhost/v1, timeouts: { connect: 2s, first_byte: 20s } }
          q: { type: openai, base_url: http://localhost/v1, connect_timeout: 3s, timeout: 90s }
        """;

    [Fact]
    public void The_list_form_and_the_mapping_form_both_read()
    {
        var config = TestConfig.LoadOk($$"""
            {{Providers}}
            models:
              plain:
                - { provider: p, model: a, weight: 3 }
              smart:
                strategy: least-inflight
                hidden: true
                timeouts: { first_byte: 5s, idle: 15s, total: 2m }
                deployments:
                  - { provider: p, model: a, priority: 2, timeouts: { idle: 1s } }
                  - { provider: q, model: b }
            """);

        var plain = config.Models[0];
        Assert.Null(plain.Strategy);
        Assert.Equal(3, plain.Deployments[0].Weight);
        var smart = config.Models[1];
        Assert.Equal(RoutingStrategy.LeastInflight, smart.Strategy);
        Assert.True(smart.Hidden);
        Assert.Equal(TimeSpan.FromSeconds(5), smart.Timeouts.FirstByte);
        Assert.Equal(TimeSpan.FromMinutes(2), smart.Timeouts.Total);
        Assert.Equal(2, smart.Deployments[0].Priority);
        Assert.Equal(TimeSpan.FromSeconds(1), smart.Deployments[0].Timeouts.Idle);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Providers[0].Timeouts.Connect);
        Assert.Equal(TimeSpan.FromSeconds(20), config.Providers[0].Timeouts.FirstByte);
        // The older flat keys are the same settings.
        Assert.Equal(TimeSpan.FromSeconds(3), config.Providers[1].Timeouts.Connect);
        Assert.Equal(TimeSpan.FromSeconds(90), config.Providers[1].Timeouts.Total);
    }

    [Fact]
    public void Routing_reload_overrides_and_special_fallbacks_read()
    {
        var config = TestConfig.LoadOk($$"""
            {{Providers}}
            models:
              small: { provider: p, model: a }
              big: { provider: q, model: b }
            routing:
              strategy: lowest-latency
              max_attempts: 6
              backoff: 10ms
              max_backoff: 1s
              max_retry_wait: 2s
              cooldown_failures: 5
              cooldown: 1m
              timeouts: { connect: 1s, idle: 30s }
            reload: { watch: false, debounce: 1s }
            context_window_fallbacks:
              small: [big]
            content_policy_fallbacks:
              small: big
            route_overrides:
              - match: { team: enterprise }
                models: { small: big }
              - match: { key: alice }
                models: { big: small }
            """);

        Assert.Equal(RoutingStrategy.LowestLatency, config.Routing.DefaultStrategy);
        Assert.Equal(6, config.Routing.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(10), config.Routing.Backoff);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Routing.MaxRetryWait);
        Assert.Equal(5, config.Routing.CooldownFailures);
        Assert.Equal(TimeSpan.FromMinutes(1), config.Routing.Cooldown);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Routing.Timeouts.Idle);
        Assert.False(config.Reload.Watch);
        Assert.Equal<string>(["big"], config.ContextWindowFallbacks["small"]);
        Assert.Equal<string>(["big"], config.ContentPolicyFallbacks["small"]);
        Assert.Equal("enterprise", config.RouteOverrides[0].Team);
        Assert.Equal("big", config.RouteOverrides[0].Models["small"]);
        Assert.Equal("alice", config.RouteOverrides[1].Key);
    }

    [Fact]
    public void A_bad_strategy_is_reported_with_its_position()
    {
        var error = TestConfig.SingleError($$"""
            {{Providers}}
            models:
              smart:
                strategy: fastest
                deployments: [{ provider: p, model: a }]
            """);
        TestConfig.AssertError(error, 6, "models.smart.strategy",
            "unknown strategy 'fastest' (allowed: weighted, priority, least-inflight, lowest-latency, lowest-cost)");
    }

    [Fact]
    public void Connect_cannot_be_set_per_deployment()
    {
        var error = TestConfig.SingleError($$"""
            {{Providers}}
            models:
              m:
                - { provider: p, model: a, timeouts: { connect: 1s } }
            """);
        Assert.Equal(6, error.Line);
        Assert.Equal("models.m[0].timeouts.connect", error.KeyPath);
    }

    [Fact]
    public void Overrides_need_exactly_one_match_and_defined_models()
    {
        var result = TestConfig.Load($$"""
            {{Providers}}
            models:
              m: { provider: p, model: a }
            route_overrides:
              - match: { key: alice, team: t }
                models: { m: m }
              - match: { team: t }
                models: { m: nowhere }
            """);
        TestConfig.HasError(result, 7, "route_overrides[0].match", "give exactly one of 'key' (a key name) or 'team'");
        TestConfig.HasError(result, 10, "route_overrides[1].models.m", "model 'nowhere' is not defined (defined: m)");
    }

    [Fact]
    public void Unknown_routing_keys_are_errors()
    {
        var error = TestConfig.SingleError($"{TestConfig.Preamble}\nrouting:\n  retries: 3\n");
        Assert.Equal(6, error.Line);
        Assert.StartsWith("unknown key 'retries'", error.Message, StringComparison.Ordinal);
    }
}
