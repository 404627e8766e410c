using System.Collections.Immutable;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Routing;

/// <summary>One deployment bound to its live provider.</summary>
public sealed record RoutedDeployment(DeploymentConfig Config, UpstreamProvider Provider)
{
    public string UpstreamModel => Config.Model;

    /// <summary>The upstream model id as a JSON string literal, encoded once at load: the body rewrite splices it in.</summary>
    public byte[] UpstreamModelJson { get; } = Dialects.OpenAIChat.OpenAIBodyRewriter.EncodeJsonString(Config.Model);
}

/// <summary>A public model name with its deployments and fallback chain, resolved against live providers.</summary>
public sealed record RoutedModel(string Name, ImmutableArray<RoutedDeployment> Deployments, ImmutableArray<string> Fallbacks)
{
    public int TotalWeight { get; } = Deployments.Sum(d => Math.Max(1, d.Config.Weight));

    /// <summary>Provider name shown as <c>owned_by</c> in the models list.</summary>
    public string OwnedBy => Deployments.IsEmpty ? "switchboard" : Deployments[0].Provider.Name;
}
