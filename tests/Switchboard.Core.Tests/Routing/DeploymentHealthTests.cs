using Switchboard.Errors;
using Switchboard.Routing;

namespace Switchboard.Core.Tests.Routing;

/// <summary>The circuit breaker on explicit clock values: no sleeping, no timers.</summary>
public sealed class DeploymentHealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);
    private static readonly GatewayError ServerError = GatewayError.Upstream(500, "server_error", "boom", "p");

    [Fact]
    public void Consecutive_failures_start_a_cooldown_then_one_probe_is_let_through()
    {
        var health = new DeploymentHealth("p", "m");
        health.ReportFailure(ServerError, T0, failuresToTrip: 3, Cooldown);
        health.ReportFailure(ServerError, T0, 3, Cooldown);
        Assert.Equal(HealthState.Healthy, health.StateAt(T0));
        health.ReportFailure(ServerError, T0, 3, Cooldown);
        Assert.Equal(HealthState.CoolingDown, health.StateAt(T0.AddSeconds(29)));
        Assert.False(health.TryAdmit(T0.AddSeconds(29)));

        var after = T0.AddSeconds(31);
        Assert.Equal(HealthState.HalfOpen, health.StateAt(after));
        Assert.True(health.TryAdmit(after));   // the probe
        Assert.False(health.TryAdmit(after));  // only one at a time

        health.ReportSuccess(TimeSpan.FromMilliseconds(12));
        Assert.Equal(HealthState.Healthy, health.StateAt(after));
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.True(health.TryAdmit(after));
    }

    [Fact]
    public void A_failed_probe_starts_another_cooldown()
    {
        var health = new DeploymentHealth("p", "m");
        for (var i = 0; i < 3; i++) health.ReportFailure(ServerError, T0, 3, Cooldown);
        var probeAt = T0.AddSeconds(31);
        Assert.True(health.TryAdmit(probeAt));
        health.ReportFailure(ServerError, probeAt, 3, Cooldown);
        Assert.Equal(HealthState.CoolingDown, health.StateAt(probeAt.AddSeconds(29)));
        Assert.Equal(HealthState.HalfOpen, health.StateAt(probeAt.AddSeconds(31)));
    }

    [Fact]
    public void A_retry_after_takes_the_deployment_out_for_that_long_at_once()
    {
        var health = new DeploymentHealth("p", "m");
        var limited = GatewayError.Upstream(429, "rate_limit_exceeded", "slow down", "p") with { RetryAfter = TimeSpan.FromSeconds(90) };
        health.ReportFailure(limited, T0, 3, Cooldown);
        Assert.Equal(HealthState.CoolingDown, health.StateAt(T0.AddSeconds(89)));
        Assert.Equal(T0.AddSeconds(90), health.CooldownUntil);
        Assert.Equal("rate_limit_exceeded", health.LastError!.Code);
    }

    [Fact]
    public void Latency_is_a_moving_average()
    {
        var health = new DeploymentHealth("p", "m");
        Assert.True(double.IsNaN(health.LatencyEwmaMs));
        health.ReportSuccess(TimeSpan.FromMilliseconds(100));
        health.ReportSuccess(TimeSpan.FromMilliseconds(200));
        Assert.Equal(100 + DeploymentHealth.LatencySmoothing * 100, health.LatencyEwmaMs, 6);
        Assert.Equal(2, health.LatencySamples);
    }

    [Fact]
    public void Health_survives_a_new_runtime_for_deployments_that_still_exist()
    {
        var registry = new DeploymentHealthRegistry();
        var a = registry.Get("openai", "gpt-4o");
        a.ReportFailure(ServerError, T0, 1, Cooldown);
        Assert.Same(a, registry.Get("openai", "gpt-4o"));
        Assert.NotSame(a, registry.Get("openai", "gpt-4o-mini"));
    }
}
