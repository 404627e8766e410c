using System.Collections.Immutable;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Routing.Policies;

namespace Switchboard.Routing;

/// <summary>One deployment bound to its live provider, its resolved timeouts and its (reload-surviving) health.</summary>
public sealed record RoutedDeployment(DeploymentConfig Config, UpstreamProvider Provider)
{
    public string UpstreamModel => Config.Model;

    /// <summary>
    /// The protocol every client but a Responses one is answered with: the provider's Responses API for an
    /// <c>api: responses</c> deployment, else its main protocol.
    /// </summary>
    private readonly IUpstreamProtocol? _main = CalledThrough(Config, Provider);

    /// <summary>What the wire of the protocol it is called through needs to know about this deployment, worked out once at load.</summary>
    public DeploymentWire Wire { get; } = DeploymentWire.Of(CalledThrough(Config, Provider), Config);

    /// <summary>The upstream model id as a JSON string literal, encoded once at load: the body rewrite splices it in.</summary>
    public byte[] UpstreamModelJson => Wire.UpstreamModelJson;

    /// <summary>Anthropic wire: mid-conversation system messages are folded for this upstream model (decided once at load).</summary>
    public bool FoldsSystemMessages => Wire.FoldsSystemMessages;

    /// <summary>
    /// The protocol a Responses client is answered with: the provider's Responses API when it relays Responses clients
    /// (<c>responses: true</c>) or the deployment is <c>api: responses</c>, else the main protocol (translated).
    /// </summary>
    private readonly IUpstreamProtocol? _forResponsesClients = Provider.Config.Responses && Config.Api == DeploymentApi.Chat
        ? Provider.ResponsesProtocol ?? Provider.Protocol
        : CalledThrough(Config, Provider);

    private static IUpstreamProtocol? CalledThrough(DeploymentConfig config, UpstreamProvider provider) =>
        config.Api == DeploymentApi.Responses ? provider.ResponsesProtocol : provider.Protocol;

    /// <summary>
    /// The protocol this deployment answers a client of <paramref name="clientWire"/> with (decided once at load): the
    /// upstream's own API for that wire when it has one (relayed untranslated), else the protocol it is called through
    /// (translated); null when it has none.
    /// </summary>
    public IUpstreamProtocol? ProtocolFor(string clientWire) => clientWire == Wires.OpenAIResponses ? _forResponsesClients : _main;

    /// <summary>Passive health, shared with every runtime that routes to the same provider + upstream model.</summary>
    public DeploymentHealth Health { get; init; } = new(Provider.Name, Config.Model);

    /// <summary>Timeouts of one attempt on this deployment (deployment → model → provider → routing → defaults).</summary>
    public AttemptTimeouts Timeouts { get; init; } = AttemptTimeouts.Default;

    /// <summary>Input + output price per million tokens, for the lowest-cost strategy; null when unpriced.</summary>
    public decimal? PricePerMTok { get; } = Config.InputPerMTok is null && Config.OutputPerMTok is null
        ? null
        : (Config.InputPerMTok ?? 0) + (Config.OutputPerMTok ?? 0);

    /// <summary>The ledger's attempt log of a request this deployment answered at the first try (built once, not per request).</summary>
    public string FirstTrySuccessLog { get; } = Provider.Name + ":200";
}

/// <summary>A public model name with its deployments, strategy and fallback chains, resolved against live providers.</summary>
public sealed record RoutedModel(string Name, ImmutableArray<RoutedDeployment> Deployments, ImmutableArray<string> Fallbacks)
{
    public int TotalWeight { get; } = Deployments.Sum(d => Math.Max(1, d.Config.Weight));

    /// <summary>How this model's deployments are ordered for a request (its <c>strategy:</c>).</summary>
    public IRoutingPolicy Policy { get; init; } = RoutingPolicies.For(RoutingStrategy.Weighted);

    public RoutingStrategy Strategy => Policy.Strategy;

    /// <summary>Models tried only after a context-window refusal.</summary>
    public ImmutableArray<string> ContextWindowFallbacks { get; init; } = [];

    /// <summary>Models tried only after a content-policy refusal.</summary>
    public ImmutableArray<string> ContentPolicyFallbacks { get; init; } = [];

    /// <summary>Deployments in the policy's fixed order (priority, lowest cost), computed once at load.</summary>
    public ImmutableArray<RoutedDeployment> PreferenceOrder { get; init; } = Deployments;

    /// <summary>Not listed, not requestable by name (reachable through overrides and fallbacks).</summary>
    public bool Hidden { get; init; }

    /// <summary>Provider name shown as <c>owned_by</c> in the models list.</summary>
    public string OwnedBy => Deployments.IsEmpty ? "switchboard" : Deployments[0].Provider.Name;
}

/// <summary>The resolved timeouts of one upstream attempt.</summary>
public sealed record AttemptTimeouts(TimeSpan FirstByte, TimeSpan Idle, TimeSpan Total)
{
    public static readonly TimeSpan DefaultConnect = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultTotal = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromMinutes(5);

    public static readonly AttemptTimeouts Default = new(DefaultTotal, DefaultIdle, DefaultTotal);

    /// <summary>First set value wins: deployment, model, provider, routing defaults; first byte defaults to the total.</summary>
    public static AttemptTimeouts Resolve(TimeoutSettings deployment, TimeoutSettings model, TimeoutSettings provider, TimeoutSettings routing)
    {
        var total = deployment.Total ?? model.Total ?? provider.Total ?? routing.Total ?? DefaultTotal;
        var firstByte = deployment.FirstByte ?? model.FirstByte ?? provider.FirstByte ?? routing.FirstByte ?? total;
        var idle = deployment.Idle ?? model.Idle ?? provider.Idle ?? routing.Idle ?? DefaultIdle;
        return new AttemptTimeouts(firstByte < total ? firstByte : total, idle, total);
    }
}
