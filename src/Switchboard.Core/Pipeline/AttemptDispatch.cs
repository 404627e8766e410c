using Microsoft.AspNetCore.Http;
using Switchboard.Http;
using Switchboard.Http.Multipart;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Providers.OpenAI.Images;
using Switchboard.Routing;
using Switchboard.Translation.Canonical;

namespace Switchboard.Pipeline;

/// <summary>Runs one attempt on one deployment, relayed untranslated or translated, as the route loop decided.</summary>
public static class AttemptDispatch
{
    /// <summary>
    /// The request goes in the canonical model (<c>canonical</c>) when translated, as the client sent it (<c>body</c>)
    /// when relayed, through <c>protocol</c>: the deployment's for the client's wire, as the route loop chose it
    /// (<see cref="RoutedDeployment.ProtocolFor"/>).
    /// </summary>
    public static Task<AttemptOutcome> RunAsync(HttpContext context, ProxyOperation operation, RoutedDeployment deployment, IUpstreamProtocol protocol, bool passthrough,
        ChatRequest? canonical, OpenAIRequestHead head, PooledBuffer body, PooledBuffer upstreamBody, Config.MediaSettings media, CancellationToken deadline,
        MultipartForm? form = null)
    {
        var provider = deployment.Provider;
        if (operation.Attempts is { } attempts) return attempts.RunAsync(context, operation, deployment, protocol, passthrough, head, body, upstreamBody, form, deadline);
        if (!passthrough) return TranslatedAttempt.RunAsync(context, operation.Dialect, deployment, protocol, canonical!, upstreamBody, media, deadline);
        var uri = operation.OpenAITarget is { } target ? target(provider.Target!, deployment.UpstreamModel) : protocol.ChatUri(deployment.UpstreamModel, head.Stream);
        return PassthroughAttempt.RunAsync(context, operation.Dialect, uri, deployment, protocol, head, body, upstreamBody, deadline);
    }
}
