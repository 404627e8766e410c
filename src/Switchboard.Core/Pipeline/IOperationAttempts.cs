using Microsoft.AspNetCore.Http;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// How an OpenAI-only operation with answers of its own shape (images) runs its attempts, in place of the chat relay:
/// relayed to OpenAI-wire upstreams, and translated to the other wires it names (<see cref="Translates"/>).
/// </summary>
public interface IOperationAttempts
{
    /// <summary>True when a deployment of another wire can serve the operation by translation.</summary>
    bool Translates(IUpstreamProtocol protocol);

    /// <summary>One attempt on <paramref name="deployment"/>: relayed when <paramref name="passthrough"/>, else translated.</summary>
    Task<AttemptOutcome> RunAsync(HttpContext context, RoutedDeployment deployment, IUpstreamProtocol protocol, bool passthrough,
        OpenAIRequestHead head, PooledBuffer body, PooledBuffer upstreamBody, CancellationToken deadline);
}
