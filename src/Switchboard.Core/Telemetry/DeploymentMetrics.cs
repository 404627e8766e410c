using System.Diagnostics;
using System.Diagnostics.Metrics;
using Switchboard.Routing;

namespace Switchboard.Telemetry;

/// <summary>
/// Each deployment's health and requests in flight, read from the current runtime when metrics are collected (never
/// per request). One series per provider and upstream model, as the circuit breaker keeps them.
/// </summary>
public static class DeploymentMetrics
{
    private static readonly ObservedSources<Source> Sources = new();

    private static readonly ObservableGauge<int> Healthy = GatewayTelemetry.Meter.CreateObservableGauge("switchboard.deployment.healthy",
        () => Observe(static (health, now) => health.StateAt(now) == HealthState.Healthy ? 1 : 0), "{deployment}",
        "1 while a deployment serves normally; 0 while it cools down after failures or waits for its probe request.");

    private static readonly ObservableGauge<int> InFlight = GatewayTelemetry.Meter.CreateObservableGauge("switchboard.deployment.in_flight",
        () => Observe(static (health, _) => health.InFlight), "{request}", "Upstream attempts in flight on a deployment.");

    /// <summary>Reports the deployments of <paramref name="runtimes"/>' current runtime until the registration is disposed.</summary>
    public static IDisposable Register(RuntimeHolder runtimes, TimeProvider time)
        => Sources.Add(new Source(runtimes, time));

    private static List<Measurement<int>> Observe(Func<DeploymentHealth, DateTimeOffset, int> read)
    {
        var measurements = new List<Measurement<int>>();
        var seen = new HashSet<DeploymentHealth>(ReferenceEqualityComparer.Instance);
        foreach (var source in Sources.Current)
        {
            var now = source.Time.GetUtcNow();
            foreach (var model in source.Runtimes.Current.OrderedModels)
            {
                foreach (var deployment in model.Deployments)
                {
                    if (!seen.Add(deployment.Health)) continue; // one deployment serves several models
                    measurements.Add(new Measurement<int>(read(deployment.Health, now), new TagList
                    {
                        { MetricTags.ProviderName, deployment.Provider.Name },
                        { MetricTags.ResponseModel, deployment.UpstreamModel },
                    }));
                }
            }
        }
        return measurements;
    }

    private sealed record Source(RuntimeHolder Runtimes, TimeProvider Time);
}
