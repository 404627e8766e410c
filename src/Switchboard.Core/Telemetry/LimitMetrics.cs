using System.Diagnostics;
using System.Diagnostics.Metrics;
using Switchboard.Limits;

namespace Switchboard.Telemetry;

/// <summary>Requests refused by a key's or team's limits (rpm, tpm, parallel, budget, or an unpriced model under a budget).</summary>
public static class LimitMetrics
{
    private static readonly Counter<long> Refusals = GatewayTelemetry.Meter.CreateCounter<long>("switchboard.limit.refusals", "{request}",
        "Requests refused by a limit before reaching an upstream, by limit (rpm, tpm, parallel, budget, unpriced) and scope (key, team).");

    public static void Refused(LimitRefusal refusal, LimitScope scope) => Refused(refusal switch
    {
        LimitRefusal.Requests => "rpm",
        LimitRefusal.Tokens => "tpm",
        LimitRefusal.Parallel => "parallel",
        _ => "budget",
    }, scope);

    /// <summary>A budgeted key or team asked for a model with a deployment that has no price.</summary>
    public static void RefusedUnpriced(LimitScope scope) => Refused("unpriced", scope);

    private static void Refused(string limit, LimitScope scope)
    {
        if (!Refusals.Enabled) return;
        Refusals.Add(1, new TagList { { MetricTags.Limit, limit }, { MetricTags.LimitScope, scope == LimitScope.Key ? "key" : "team" } });
    }
}
