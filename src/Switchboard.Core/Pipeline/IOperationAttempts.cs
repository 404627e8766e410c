using Microsoft.AspNetCore.Http;
using Switchboard.Http;
using Switchboard.Http.Multipart;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// How an OpenAI-only operation with answers of its own shape runs its attempts, in place of the chat relay: relayed
/// to OpenAI-wire upstreams, and translated to the other wires it names (<see cref="Translates"/>). One implementation
/// per kind of answer: image generations (<c>ImageGenerationAttempts</c>), image edits (<c>ImageEditAttempts</c>),
/// answers relayed as they come (<see cref="MediaAttempts"/>: audio, transcripts, moderations).
/// </summary>
public interface IOperationAttempts
{
    /// <summary>True when a deployment of another wire can serve the operation by translation.</summary>
    bool Translates(IUpstreamProtocol protocol);

    /// <summary>
    /// One attempt of <paramref name="operation"/> on <paramref name="deployment"/>: relayed when
    /// <paramref name="passthrough"/>, else translated. A multipart request comes as <paramref name="form"/> (its parts
    /// sent again on each attempt), any other as its JSON <paramref name="body"/>.
    /// </summary>
    Task<AttemptOutcome> RunAsync(HttpContext context, ProxyOperation operation, RoutedDeployment deployment, IUpstreamProtocol protocol,
        bool passthrough, OpenAIRequestHead head, PooledBuffer body, PooledBuffer upstreamBody, MultipartForm? form, CancellationToken deadline);
}
