using System.Collections.Frozen;
using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>
/// Maps the routing-related sections: <c>routing:</c>, <c>reload:</c>, <c>route_overrides:</c>, and the shared
/// <c>timeouts:</c> and <c>strategy</c> values used by providers, models and deployments.
/// </summary>
internal static class RoutingMapper
{
    /// <summary>Top-level keys this mapper owns (the special fallback chains are read by <see cref="ModelMapper.ReadFallbacks"/>).</summary>
    public static readonly string[] TopLevelKeys =
        ["routing", "reload", "route_overrides", "context_window_fallbacks", "content_policy_fallbacks"];

    private static readonly string[] RoutingKeys =
        ["strategy", "max_attempts", "backoff", "max_backoff", "max_retry_wait", "cooldown_failures", "cooldown", "timeouts"];

    private static readonly string[] ReloadKeys = ["watch", "debounce"];
    private static readonly string[] TimeoutKeys = ["connect", "first_byte", "idle", "total"];
    private static readonly string[] OverrideKeys = ["match", "models"];
    private static readonly string[] MatchKeys = ["key", "team"];

    /// <summary>Strategy names as written in the config, in <see cref="RoutingStrategy"/> order.</summary>
    public static readonly string[] StrategyNames = ["weighted", "priority", "least-inflight", "lowest-latency", "lowest-cost"];

    public static GatewayConfig Read(MappingFields fields, YamlNodeReader reader, ConfigReferences references, GatewayConfig config) => config with
    {
        Routing = ReadRouting(fields.Get("routing"), reader),
        Reload = ReadReload(fields.Get("reload"), reader),
        RouteOverrides = ReadOverrides(fields.Get("route_overrides"), reader, references),
        ContextWindowFallbacks = ModelMapper.ReadFallbacks(fields.Get("context_window_fallbacks"), reader, references, "context_window_fallbacks"),
        ContentPolicyFallbacks = ModelMapper.ReadFallbacks(fields.Get("content_policy_fallbacks"), reader, references, "content_policy_fallbacks"),
    };

    public static RoutingStrategy? ReadStrategy(YamlNode? node, string path, YamlNodeReader reader) =>
        reader.OneOf(node, path, StrategyNames, "strategy") is { } name
            ? (RoutingStrategy)Array.IndexOf(StrategyNames, name)
            : null;

    /// <summary>A <c>timeouts:</c> mapping; <paramref name="allowConnect"/> is false where connect cannot apply (models, deployments).</summary>
    public static TimeoutSettings ReadTimeouts(YamlNode? node, string path, YamlNodeReader reader, bool allowConnect)
    {
        if (node is null || reader.Fields(node, path, TimeoutKeys) is not { } fields)
        {
            return TimeoutSettings.None;
        }

        if (!allowConnect && fields.Get("connect") is { } connect)
        {
            reader.Error(connect, fields.PathOf("connect"), "connect is set per provider (providers.<name>.timeouts.connect or routing.timeouts.connect)");
        }

        return new TimeoutSettings
        {
            Connect = allowConnect ? reader.Duration(fields.Get("connect"), fields.PathOf("connect")) : null,
            FirstByte = reader.Duration(fields.Get("first_byte"), fields.PathOf("first_byte")),
            Idle = reader.Duration(fields.Get("idle"), fields.PathOf("idle")),
            Total = reader.Duration(fields.Get("total"), fields.PathOf("total")),
        };
    }

    private static RoutingSettings ReadRouting(YamlNode? node, YamlNodeReader reader)
    {
        var defaults = new RoutingSettings();
        if (node is null || reader.Fields(node, "routing", RoutingKeys) is not { } fields)
        {
            return defaults;
        }

        return new RoutingSettings
        {
            DefaultStrategy = ReadStrategy(fields.Get("strategy"), fields.PathOf("strategy"), reader) ?? defaults.DefaultStrategy,
            MaxAttempts = reader.Int(fields.Get("max_attempts"), fields.PathOf("max_attempts"), min: 1, max: 20) ?? defaults.MaxAttempts,
            Backoff = reader.Duration(fields.Get("backoff"), fields.PathOf("backoff")) ?? defaults.Backoff,
            MaxBackoff = reader.Duration(fields.Get("max_backoff"), fields.PathOf("max_backoff")) ?? defaults.MaxBackoff,
            MaxRetryWait = reader.Duration(fields.Get("max_retry_wait"), fields.PathOf("max_retry_wait")) ?? defaults.MaxRetryWait,
            CooldownFailures = reader.Int(fields.Get("cooldown_failures"), fields.PathOf("cooldown_failures"), min: 1, max: 1000) ?? defaults.CooldownFailures,
            Cooldown = reader.Duration(fields.Get("cooldown"), fields.PathOf("cooldown")) ?? defaults.Cooldown,
            Timeouts = ReadTimeouts(fields.Get("timeouts"), fields.PathOf("timeouts"), reader, allowConnect: true),
        };
    }

    private static ReloadSettings ReadReload(YamlNode? node, YamlNodeReader reader)
    {
        var defaults = new ReloadSettings();
        if (node is null || reader.Fields(node, "reload", ReloadKeys) is not { } fields)
        {
            return defaults;
        }

        return new ReloadSettings
        {
            Watch = ReadBool(fields.Get("watch"), fields.PathOf("watch"), reader) ?? defaults.Watch,
            Debounce = reader.Duration(fields.Get("debounce"), fields.PathOf("debounce")) ?? defaults.Debounce,
        };
    }

    public static bool? ReadBool(YamlNode? node, string path, YamlNodeReader reader)
    {
        var text = reader.OneOf(node, path, ["true", "false"], "value");
        return text is null ? null : text == "true";
    }

    private static ImmutableArray<RouteOverride> ReadOverrides(YamlNode? node, YamlNodeReader reader, ConfigReferences references)
    {
        if (node is null || reader.Items(node, "route_overrides", singleAllowed: false) is not { } items)
        {
            return [];
        }

        var overrides = ImmutableArray.CreateBuilder<RouteOverride>(items.Count);
        foreach (var (item, path) in items)
        {
            if (reader.Fields(item, path, OverrideKeys) is not { } fields)
            {
                continue;
            }

            var errorsBefore = reader.Errors.Count;
            string? key = null, team = null;
            if (fields.Get("match") is not { } match)
            {
                reader.Error(item, path, "missing required key 'match' (match: { key: <key name> } or { team: <team name> })");
            }
            else if (reader.Fields(match, fields.PathOf("match"), MatchKeys) is { } matchFields)
            {
                key = reader.Text(matchFields.Get("key"), matchFields.PathOf("key"))?.Trim();
                team = reader.Text(matchFields.Get("team"), matchFields.PathOf("team"))?.Trim();
                if (string.IsNullOrEmpty(key) == string.IsNullOrEmpty(team))
                {
                    reader.Error(match, fields.PathOf("match"), "give exactly one of 'key' (a key name) or 'team'");
                }
            }

            var models = new Dictionary<string, string>(StringComparer.Ordinal);
            if (fields.Get("models") is not { } modelsNode)
            {
                reader.Error(item, path, "missing required key 'models' (public name: configured model)");
            }
            else if (reader.Entries(modelsNode, fields.PathOf("models")) is { } entries)
            {
                foreach (var entry in entries)
                {
                    references.ModelReferences.Add(new NameReference(entry.Key, entry.KeyNode, entry.Path));
                    if (ModelMapper.ReadModelName(entry.Value, entry.Path, reader) is { } target)
                    {
                        references.ModelReferences.Add(new NameReference(target, entry.Value, entry.Path));
                        models[entry.Key] = target;
                    }
                }
            }

            if (reader.Errors.Count == errorsBefore)
            {
                overrides.Add(new RouteOverride
                {
                    Key = string.IsNullOrEmpty(key) ? null : key,
                    Team = string.IsNullOrEmpty(team) ? null : team,
                    Models = models.ToFrozenDictionary(StringComparer.Ordinal),
                });
            }
        }

        return overrides.ToImmutable();
    }
}
