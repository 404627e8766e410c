using System.Collections.Frozen;
using System.Collections.Immutable;
using Switchboard.Auth;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard;

/// <summary>
/// Everything a request needs, built once from a validated <see cref="GatewayConfig"/> and never mutated:
/// the key store, the routed models and the live providers. A reload builds a new one and swaps it in
/// (see <see cref="RuntimeHolder"/>); requests already running keep the one they started with.
/// </summary>
public sealed class GatewayRuntime : IDisposable
{
    /// <param name="config">The validated config.</param>
    /// <param name="keys">Where keys are looked up; null = the config file's keys only.</param>
    public GatewayRuntime(GatewayConfig config, IKeyLookup? keys = null)
    {
        Config = config;
        Keys = keys ?? new KeyStore(config.Keys);
        Providers = config.Providers.ToFrozenDictionary(p => p.Name, p => new UpstreamProvider(p), StringComparer.Ordinal);
        var ordered = ImmutableArray.CreateBuilder<RoutedModel>(config.Models.Length);
        foreach (var model in config.Models)
        {
            var deployments = model.Deployments
                .Select(d => new RoutedDeployment(d, Providers[d.Provider]))
                .ToImmutableArray();
            var fallbacks = config.Fallbacks.TryGetValue(model.Name, out var chain) ? chain : [];
            ordered.Add(new RoutedModel(model.Name, deployments, fallbacks));
        }
        OrderedModels = ordered.MoveToImmutable();
        Models = OrderedModels.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
    }

    public GatewayConfig Config { get; }
    public IKeyLookup Keys { get; }

    /// <summary>
    /// Single-user local mode: no master key and no key anywhere (file or database), so any bearer is accepted.
    /// A database that holds keys (even only revoked ones) ends open mode.
    /// </summary>
    public bool IsOpenMode => Config.IsOpenMode && !Keys.HasKeys;
    public FrozenDictionary<string, UpstreamProvider> Providers { get; }
    public FrozenDictionary<string, RoutedModel> Models { get; }
    /// <summary>Models in config-file order (for listings).</summary>
    public ImmutableArray<RoutedModel> OrderedModels { get; }

    public void Dispose()
    {
        foreach (var provider in Providers.Values) provider.Dispose();
    }
}

/// <summary>Holds the current <see cref="GatewayRuntime"/>; swapping is one atomic reference write.</summary>
public sealed class RuntimeHolder(GatewayRuntime initial)
{
    private volatile GatewayRuntime _current = initial;

    public GatewayRuntime Current => _current;

    /// <summary>Installs <paramref name="next"/> and returns the previous runtime (the caller retires it once idle).</summary>
    public GatewayRuntime Swap(GatewayRuntime next) => Interlocked.Exchange(ref _current, next);
}
