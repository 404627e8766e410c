using System.Collections.Frozen;
using System.Collections.Immutable;
using Switchboard.Auth;
using Switchboard.Config;

namespace Switchboard.Routing;

/// <summary>
/// <c>route_overrides:</c> resolved: for a key name or a team, public model name → the model that serves it.
/// A key's own mapping wins over its team's; the first entry in the file wins among equals.
/// </summary>
public sealed class RouteOverrideTable
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, RoutedModel>> _byKey;
    private readonly FrozenDictionary<string, FrozenDictionary<string, RoutedModel>> _byTeam;

    private RouteOverrideTable(FrozenDictionary<string, FrozenDictionary<string, RoutedModel>> byKey,
        FrozenDictionary<string, FrozenDictionary<string, RoutedModel>> byTeam)
    {
        _byKey = byKey;
        _byTeam = byTeam;
    }

    public bool IsEmpty => _byKey.Count == 0 && _byTeam.Count == 0;

    public static RouteOverrideTable Build(ImmutableArray<RouteOverride> overrides, FrozenDictionary<string, RoutedModel> models)
    {
        var byKey = new Dictionary<string, Dictionary<string, RoutedModel>>(StringComparer.Ordinal);
        var byTeam = new Dictionary<string, Dictionary<string, RoutedModel>>(StringComparer.Ordinal);
        foreach (var entry in overrides)
        {
            var (table, name) = entry.Key is { } key ? (byKey, key) : (byTeam, entry.Team!);
            if (!table.TryGetValue(name, out var map)) table[name] = map = new Dictionary<string, RoutedModel>(StringComparer.Ordinal);
            foreach (var (publicName, target) in entry.Models)
            {
                if (models.TryGetValue(target, out var model)) map.TryAdd(publicName, model);
            }
        }
        return new RouteOverrideTable(Freeze(byKey), Freeze(byTeam));
    }

    public bool TryResolve(ClientIdentity identity, string name, out RoutedModel model)
    {
        if (!identity.IsAnonymous && _byKey.TryGetValue(identity.Name, out var forKey) && forKey.TryGetValue(name, out model!)) return true;
        if (identity.Team is { } team && _byTeam.TryGetValue(team, out var forTeam) && forTeam.TryGetValue(name, out model!)) return true;
        model = null!;
        return false;
    }

    private static FrozenDictionary<string, FrozenDictionary<string, RoutedModel>> Freeze(Dictionary<string, Dictionary<string, RoutedModel>> table) =>
        table.ToFrozenDictionary(e => e.Key, e => e.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
}
