using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.Http;
using Switchboard.Http.Multipart;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Images;

/// <summary>
/// One attempt of <c>POST /v1/images/edits</c> on an OpenAI-wire upstream: the client's multipart form sent again with
/// the deployment's model, the Images answer (JSON, or gpt-image's <c>partial_images</c> events) relayed as it comes and
/// metered as generations are: the images that came back at the form's <c>size</c> and <c>quality</c> (or what the
/// answer reports), and the tokens gpt-image reports.
/// </summary>
public sealed class ImageEditAttempts : IOperationAttempts
{
    public static ImageEditAttempts Instance { get; } = new();

    private ImageEditAttempts()
    {
    }

    /// <summary>Edits go to OpenAI-wire upstreams only.</summary>
    public bool Translates(IUpstreamProtocol protocol) => false;

    public Task<AttemptOutcome> RunAsync(HttpContext context, ProxyOperation operation, RoutedDeployment deployment, IUpstreamProtocol protocol,
        bool passthrough, OpenAIRequestHead head, PooledBuffer body, PooledBuffer upstreamBody, MultipartForm? form, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(form);
        var provider = deployment.Provider;
        // Only what metering needs is read from the form; the upstream judges the values (it knows each model's sizes).
        var metered = new ImageGenerationRequest
        {
            Prompt = form.Field("prompt") ?? "",
            N = int.TryParse(form.Field("n"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1,
            Size = form.Field("size"),
            Quality = form.Field("quality"),
            Stream = head.Stream,
        };
        var uri = provider.Target!.Operation(deployment.UpstreamModel, "images/edits");
        var message = UpstreamExchange.CreateRequest(uri, form.CreateContent("model", deployment.UpstreamModel), UpstreamExchange.AcceptAny, provider, provider.Protocol!.Authorize);
        return UpstreamAttempt.RunAsync(context, deployment, message, head.Stream, new ImageGenerationAttempts.RelayedAnswer(metered), deadline);
    }
}
