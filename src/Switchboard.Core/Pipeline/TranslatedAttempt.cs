using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Media;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Streaming;
using Switchboard.Translation.Canonical;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>
/// A request whose client dialect differs from the upstream's wire: canonical request → upstream body; the upstream's
/// answer, stream or error → canonical → the client's dialect.
/// </summary>
public static class TranslatedAttempt
{
    public static Task<AttemptOutcome> RunAsync(HttpContext context, IClientDialect dialect, RoutedDeployment deployment,
        IUpstreamProtocol protocol, ChatRequest request, PooledBuffer upstreamBody, Config.MediaSettings media, CancellationToken shutdown)
    {
        if (!deployment.Provider.Type.FetchesRemoteImages && ImageInliner.HasRemoteImages(request))
        {
            return InlineImagesThenRunAsync(context, dialect, deployment, protocol, request, upstreamBody, media, shutdown);
        }
        return SendAsync(context, dialect, deployment, protocol, request, upstreamBody, shutdown);
    }

    /// <summary>This upstream fetches no http(s) URLs (Gemini's fileData takes only its own File API URIs): the gateway fetches them first.</summary>
    private static async Task<AttemptOutcome> InlineImagesThenRunAsync(HttpContext context, IClientDialect dialect, RoutedDeployment deployment,
        IUpstreamProtocol protocol, ChatRequest request, PooledBuffer upstreamBody, Config.MediaSettings media, CancellationToken shutdown)
    {
        var (inlined, fetchError) = await ImageInliner.InlineAsync(request, media.AllowPrivateNetworks, context.RequestAborted);
        if (inlined is null) return AttemptOutcome.Failed(fetchError! with { Provider = deployment.Provider.Name });
        return await SendAsync(context, dialect, deployment, protocol, inlined, upstreamBody, shutdown);
    }

    private static Task<AttemptOutcome> SendAsync(HttpContext context, IClientDialect dialect, RoutedDeployment deployment,
        IUpstreamProtocol protocol, ChatRequest request, PooledBuffer upstreamBody, CancellationToken shutdown)
    {
        var provider = deployment.Provider;
        upstreamBody.Clear();
        // The client's own request (hosted tools included) is still what its answer echoes.
        var sent = HostedTools.ForWire(request, protocol.Wire, out var dropped);
        HostedTools.Report(context, dropped);
        var adjustments = new RequestAdjustments();
        var unsupported = protocol.WriteChatBody(sent, deployment.UpstreamModel, upstreamBody, adjustments);
        // Set before the answer starts (an earlier attempt's list was removed by the route loop).
        if (adjustments.Joined is { } adjusted) context.Response.Headers[RequestAdjustments.Header] = adjusted;
        if (unsupported is not null)
        {
            // This upstream cannot express the request; another deployment in the plan may.
            return Task.FromResult(AttemptOutcome.Failed(new GatewayError(400, "invalid_request_error", "unsupported_by_provider",
                $"Provider '{provider.Name}' ({provider.Config.Type}) cannot serve this request: {unsupported}",
                ErrorDisposition.Retryable, unsupported.Param) { Provider = provider.Name }));
        }

        var stream = request.IsStreaming;
        var message = UpstreamExchange.CreateRequest(protocol.ChatUri(deployment.UpstreamModel, stream), upstreamBody, stream, provider, protocol.Authorize);
        var attempt = UpstreamAttempt.RunAsync(context, deployment, message, stream, new TranslatedAnswer(dialect, protocol, request, deployment.UpstreamModel), shutdown);
        return adjustments.Joined is { } noted ? WithAdjustedAsync(attempt, noted) : attempt;
    }

    /// <summary>The attempt's outcome, carrying the adjusted fields to the ledger.</summary>
    private static async Task<AttemptOutcome> WithAdjustedAsync(Task<AttemptOutcome> attempt, string adjusted) =>
        await attempt with { Adjusted = adjusted };

    /// <summary>The upstream's answer, stream or error goes through the canonical model into the client's dialect.</summary>
    private readonly struct TranslatedAnswer(IClientDialect dialect, IUpstreamProtocol protocol, ChatRequest request, string upstreamModel) : IAttemptAnswer
    {
        public Task<AttemptOutcome> RelayStreamAsync(HttpContext context, HttpResponseMessage response, UpstreamProvider provider, AttemptClock clock) =>
            StreamRelay.RelayAsync(context, response, provider, dialect, clock,
                new TranslateEvents(provider, protocol.CreateStreamReader(request), dialect.CreateStreamWriter(request), upstreamModel));

        public async ValueTask<AttemptOutcome> RelayJsonAsync(HttpContext context, HttpResponseMessage response, PooledBuffer json, UpstreamProvider provider)
        {
            var answer = protocol.ReadChatResponse(json.Span, request);
            if (!answer.IsSuccess)
            {
                return AttemptOutcome.Failed(new GatewayError(502, "upstream_error", "upstream_invalid_response",
                    $"Provider '{provider.Name}' answered with a body the gateway could not read: {answer.Error}", ErrorDisposition.Retryable)
                { Provider = provider.Name });
            }
            using var output = new PooledBuffer(json.Length + 256);
            // An upstream that names no model (Gemini without modelVersion): the id it was asked for, never "" or the alias.
            var translated = answer.Value!.Model.Length > 0 ? answer.Value : answer.Value with { Model = upstreamModel };
            dialect.WriteResponse(translated, request, output);
            var usage = answer.Value!.Usage;
            return await UpstreamAttempt.AnswerAsync(context, StatusCodes.Status200OK, "application/json", output.Memory,
                usage is null ? null : UsageConversion.ToTokenUsage(usage));
        }
    }
}
