using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Switchboard.Config;

/// <summary>How the deployments of one model are ordered for a request.</summary>
public enum RoutingStrategy
{
    /// <summary>Random, proportional to each deployment's <c>weight</c> (the default).</summary>
    Weighted,
    /// <summary>In <c>priority</c> order (lower first; list order when not set).</summary>
    Priority,
    /// <summary>The deployment with the fewest requests in flight first.</summary>
    LeastInflight,
    /// <summary>The lowest moving average of time to first token first; untried deployments are explored first.</summary>
    LowestLatency,
    /// <summary>The cheapest (input + output price per million tokens) first; unpriced deployments last.</summary>
    LowestCost,
}

/// <summary>
/// Timeouts of one upstream attempt; every field optional (null = inherit). Resolved per deployment as
/// deployment → model → provider → <c>routing.timeouts</c> → built-in defaults.
/// </summary>
public sealed record TimeoutSettings
{
    /// <summary>TCP/TLS connect (per provider: it belongs to the provider's connection pool).</summary>
    public TimeSpan? Connect { get; init; }
    /// <summary>Until the response headers and, for streams, the first event (for non-streaming requests: the whole answer).</summary>
    public TimeSpan? FirstByte { get; init; }
    /// <summary>Longest silence between two stream events.</summary>
    public TimeSpan? Idle { get; init; }
    /// <summary>The whole attempt, streams included.</summary>
    public TimeSpan? Total { get; init; }

    public static readonly TimeoutSettings None = new();
}

/// <summary>The <c>routing:</c> section: retry, backoff, cooldown and timeout defaults for every model.</summary>
public sealed record RoutingSettings
{
    /// <summary>Strategy of models that do not choose one.</summary>
    public RoutingStrategy DefaultStrategy { get; init; } = RoutingStrategy.Weighted;
    /// <summary>Upstream attempts per request at most, across deployments, retries and fallbacks.</summary>
    public int MaxAttempts { get; init; } = 4;
    /// <summary>First backoff before retrying a deployment already tried in the same request; doubles each time.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Cap of one backoff.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A Retry-After up to this long is waited for; a longer one takes the deployment out (cooldown) instead.</summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Consecutive failures that put a deployment in cooldown.</summary>
    public int CooldownFailures { get; init; } = 3;
    /// <summary>How long a deployment stays out before a probe request is let through.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Default timeouts for every deployment.</summary>
    public TimeoutSettings Timeouts { get; init; } = TimeoutSettings.None;
}

/// <summary>Live reload of the config file (the <c>reload:</c> section).</summary>
public sealed record ReloadSettings
{
    /// <summary>Watch the config file and reload on change (default on).</summary>
    public bool Watch { get; init; } = true;
    /// <summary>Quiet time after the last change before reloading (editors write files in several steps).</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// One <c>route_overrides:</c> entry: requests from a key (by name) or a team asking for a public model name are
/// served by another configured model.
/// </summary>
public sealed record RouteOverride
{
    /// <summary>The key name matched, or null when <see cref="Team"/> is.</summary>
    public string? Key { get; init; }
    /// <summary>The team matched, or null when <see cref="Key"/> is.</summary>
    public string? Team { get; init; }
    /// <summary>Public model name → the configured model that serves it for this group.</summary>
    public required FrozenDictionary<string, string> Models { get; init; }
}

/// <summary>Special-purpose fallback chains (model name → models tried in order).</summary>
public static class FallbackChains
{
    public static readonly FrozenDictionary<string, ImmutableArray<string>> Empty = FrozenDictionary<string, ImmutableArray<string>>.Empty;
}

/// <summary>Config spellings of <see cref="RoutingStrategy"/> values.</summary>
public static class RoutingMapperNames
{
    public static string Of(RoutingStrategy strategy) => RoutingMapper.StrategyNames[(int)strategy];
}
