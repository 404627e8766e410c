using System.Collections.Frozen;
using System.Collections.Immutable;
using Switchboard.Auth;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Routing.Policies;

namespace Switchboard;

/// <summary>
/// Everything a request needs, built once from a validated <see cref="GatewayConfig"/> and never mutated:
/// the key store, the routed models and the live providers. A reload builds a new one and swaps it in
/// (see <see cref="RuntimeHolder"/>); requests already running keep the one they started with, and the old runtime's
/// providers are disposed only once its last request has finished (<see cref="RuntimeLease"/>).
/// </summary>
public sealed class GatewayRuntime : IModelCatalog, IKeyAuthority, IDisposable
{
    // Requests holding this runtime; int.MinValue once disposed (no lease can be taken after that).
    private int _leases;
    private volatile bool _retired;

    /// <param name="config">The validated config.</param>
    /// <param name="keys">Where keys are looked up; null = the config file's keys only.</param>
    /// <param name="health">Deployment health shared across reloads; a private registry when null (tests, tools).</param>
    /// <param name="previous">The runtime being replaced: its providers whose settings did not change are reused.</param>
    public GatewayRuntime(GatewayConfig config, IKeyLookup? keys = null, DeploymentHealthRegistry? health = null, GatewayRuntime? previous = null)
    {
        Config = config;
        health ??= new DeploymentHealthRegistry();
        Keys = keys ?? new KeyStore(config.Keys);
        var routing = config.Routing;
        // Providers some deployment calls through their Responses API (api: responses): theirs is built.
        var responsesNeeded = config.Models.SelectMany(m => m.Deployments).Where(d => d.Api == DeploymentApi.Responses)
            .Select(d => d.Provider).ToHashSet(StringComparer.Ordinal);
        Providers = config.Providers.ToFrozenDictionary(p => p.Name, p =>
        {
            var connect = p.Timeouts.Connect ?? routing.Timeouts.Connect ?? AttemptTimeouts.DefaultConnect;
            var needsResponses = responsesNeeded.Contains(p.Name);
            if (previous is not null && previous.Providers.TryGetValue(p.Name, out var old) && old.CanServe(p, connect, needsResponses))
            {
                old.AddOwner();
                return old;
            }
            return new UpstreamProvider(p, connect, needsResponses);
        }, StringComparer.Ordinal);
        var ordered = ImmutableArray.CreateBuilder<RoutedModel>(config.Models.Length);
        foreach (var model in config.Models)
        {
            var deployments = ImmutableArray.CreateBuilder<RoutedDeployment>(model.Deployments.Length);
            foreach (var d in model.Deployments)
            {
                var provider = Providers[d.Provider];
                deployments.Add(new RoutedDeployment(d, provider)
                {
                    Health = health.Get(d.Provider, d.Model),
                    Timeouts = AttemptTimeouts.Resolve(d.Timeouts, model.Timeouts, provider.Config.Timeouts, routing.Timeouts),
                });
            }
            var routed = deployments.MoveToImmutable();
            var policy = RoutingPolicies.For(model.Strategy ?? routing.DefaultStrategy);
            ordered.Add(new RoutedModel(model.Name, routed, Chain(config.Fallbacks, model.Name))
            {
                Policy = policy,
                PreferenceOrder = policy.PreferenceOrder(routed),
                ContextWindowFallbacks = Chain(config.ContextWindowFallbacks, model.Name),
                ContentPolicyFallbacks = Chain(config.ContentPolicyFallbacks, model.Name),
                Hidden = model.Hidden,
            });
        }
        OrderedModels = ordered.MoveToImmutable();
        Models = OrderedModels.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
        Overrides = RouteOverrideTable.Build(config.RouteOverrides, Models);
    }

    public GatewayConfig Config { get; }
    public IKeyLookup Keys { get; }

    /// <summary>
    /// Single-user local mode: the config has no <c>keys:</c> and no <c>master_key</c>, so a bearer that is not a known
    /// key is accepted. Decided by the config alone (CONTRACT §6): keys created in the database never switch it on or
    /// off; a known key is still identified (its limits apply) and a revoked or expired one still refused.
    /// </summary>
    public bool IsOpenMode => Config.IsOpenMode;
    public string? MasterKey => Config.MasterKey;
    public FrozenDictionary<string, UpstreamProvider> Providers { get; }
    /// <summary>Every model by name, hidden ones included.</summary>
    public FrozenDictionary<string, RoutedModel> Models { get; }
    /// <summary>Models in config-file order (for listings; skip <see cref="RoutedModel.Hidden"/> ones there).</summary>
    public ImmutableArray<RoutedModel> OrderedModels { get; }
    /// <summary>Per key / team model mappings.</summary>
    public RouteOverrideTable Overrides { get; }

    /// <summary>
    /// The model that serves <paramref name="name"/> for this caller: a route override for its key or team when one
    /// matches, else the public model of that name (hidden models are not requestable by name).
    /// </summary>
    public bool TryResolveModel(ClientIdentity identity, string name, out RoutedModel model)
    {
        if (!Overrides.IsEmpty && Overrides.TryResolve(identity, name, out model)) return true;
        return Models.TryGetValue(name, out model!) && !model.Hidden;
    }

    public bool TryGetModel(string name, out RoutedModel model) => Models.TryGetValue(name, out model!);

    /// <summary>Takes a lease for one request; false when this runtime has already been disposed.</summary>
    internal bool TryLease() => Interlocked.Increment(ref _leases) > 0;

    internal void ReleaseLease()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && _retired) TryDisposeIdle();
    }

    /// <summary>Marks the runtime replaced: it is disposed as soon as no request holds it (at once when idle).</summary>
    public void Retire()
    {
        _retired = true;
        TryDisposeIdle();
    }

    /// <summary>True once a retired runtime has been disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _leases) < 0;

    private void TryDisposeIdle()
    {
        if (Interlocked.CompareExchange(ref _leases, int.MinValue, 0) == 0) ReleaseProviders();
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _leases, int.MinValue);
        ReleaseProviders();
    }

    private int _providersReleased;

    private void ReleaseProviders()
    {
        if (Interlocked.Exchange(ref _providersReleased, 1) == 1) return;
        foreach (var provider in Providers.Values) provider.ReleaseOwner();
    }

    private static ImmutableArray<string> Chain(FrozenDictionary<string, ImmutableArray<string>> chains, string model) =>
        chains.TryGetValue(model, out var chain) ? chain : [];
}

/// <summary>Holds the current <see cref="GatewayRuntime"/>; swapping is one atomic reference write.</summary>
public sealed class RuntimeHolder(GatewayRuntime initial)
{
    private volatile GatewayRuntime _current = initial;

    public GatewayRuntime Current => _current;

    /// <summary>The current runtime, held until the lease is disposed (so a reload cannot dispose it under the request).</summary>
    public RuntimeLease Lease()
    {
        while (true)
        {
            var runtime = _current;
            if (runtime.TryLease()) return new RuntimeLease(runtime);
            // Lost a race with a reload that retired and disposed it: the holder already has the new one.
        }
    }

    /// <summary>Installs <paramref name="next"/> and returns the previous runtime (the caller retires it).</summary>
    public GatewayRuntime Swap(GatewayRuntime next) => Interlocked.Exchange(ref _current, next);
}

/// <summary>One request's hold on a runtime.</summary>
public readonly struct RuntimeLease(GatewayRuntime runtime) : IDisposable
{
    public GatewayRuntime Runtime { get; } = runtime;

    public void Dispose() => Runtime.ReleaseLease();
}
