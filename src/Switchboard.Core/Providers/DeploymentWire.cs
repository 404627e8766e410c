using Switchboard.Config;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers;

/// <summary>
/// What an upstream's wire needs to know about one deployment, worked out once when the runtime is built (never per
/// request) by the provider's protocol (<see cref="IUpstreamProtocol.DescribeDeployment"/>).
/// </summary>
/// <param name="UpstreamModelJson">The upstream model id as a JSON string literal: the passthrough body rewrite splices it in.</param>
/// <param name="FoldsSystemMessages">Anthropic wire: mid-conversation system messages are folded for this upstream model.</param>
public sealed record DeploymentWire(byte[] UpstreamModelJson, bool FoldsSystemMessages)
{
    /// <summary>The facts of a deployment whose wire needs nothing beyond its model id.</summary>
    public static DeploymentWire Plain(DeploymentConfig deployment) => new(OpenAIBodyRewriter.EncodeJsonString(deployment.Model), false);

    /// <summary>As <paramref name="protocol"/> describes the deployment; plain when the provider type has no protocol.</summary>
    public static DeploymentWire Of(IUpstreamProtocol? protocol, DeploymentConfig deployment) =>
        protocol is null ? Plain(deployment) : protocol.DescribeDeployment(deployment);
}
