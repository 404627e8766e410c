using Microsoft.AspNetCore.Http;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Http.Multipart;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Streaming;
using Switchboard.Translation.Canonical;
using Switchboard.Translation;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI.Images;

/// <summary>
/// <c>POST /v1/images/generations</c>: relayed to OpenAI-wire upstreams (only <c>model</c> spliced; gpt-image's
/// <c>partial_images</c> stream forwarded event by event), translated to upstreams that generate images another way
/// (<see cref="IUpstreamImageGenerator"/>: Gemini, Imagen). Either way the ledger learns how many images came back, at
/// which size and quality, and the tokens where the upstream reports them (<see cref="ImageUsage"/>).
/// </summary>
public sealed class ImageGenerationAttempts : IOperationAttempts
{
    public static ImageGenerationAttempts Instance { get; } = new();

    /// <summary>The code of a field the upstream cannot express (as for chat), refused by name: the client would not get what it asked for.</summary>
    public const string UnsupportedCode = "unsupported_by_provider";

    public bool Translates(IUpstreamProtocol protocol) => protocol is IUpstreamImageGenerator;

    public Task<AttemptOutcome> RunAsync(HttpContext context, ProxyOperation operation, RoutedDeployment deployment, IUpstreamProtocol protocol,
        bool passthrough, OpenAIRequestHead head, PooledBuffer body, PooledBuffer upstreamBody, MultipartForm? form, CancellationToken deadline)
    {
        var read = OpenAIImageRequestReader.Read(body.Span, refuseUnknown: !passthrough);
        if (!read.IsSuccess) return Task.FromResult(AttemptOutcome.Failed(GatewayError.InvalidRequest(read.Error.Message, read.Error.Param, read.Error.Code)));
        var request = read.Value;
        return passthrough
            ? RelayAsync(context, deployment, head, request, body, upstreamBody, deadline)
            : TranslateAsync(context, deployment, (IUpstreamImageGenerator)protocol, request, upstreamBody, deadline);
    }

    private static Task<AttemptOutcome> RelayAsync(HttpContext context, RoutedDeployment deployment, OpenAIRequestHead head, ImageGenerationRequest request,
        PooledBuffer body, PooledBuffer upstreamBody, CancellationToken deadline)
    {
        var provider = deployment.Provider;
        upstreamBody.Clear();
        // No stream_options: the Images API has none (its completed events carry usage unasked).
        OpenAIBodyRewriter.Rewrite(body.Span, head, deployment.UpstreamModelJson, upstreamBody, forceUsage: false);
        var message = UpstreamExchange.CreateRequest(provider.Target!.ImageGenerations(deployment.UpstreamModel), upstreamBody, head.Stream, provider, provider.Protocol!.Authorize);
        return UpstreamAttempt.RunAsync(context, deployment, message, head.Stream, new RelayedAnswer(request), deadline);
    }

    private static async Task<AttemptOutcome> TranslateAsync(HttpContext context, RoutedDeployment deployment, IUpstreamImageGenerator generator,
        ImageGenerationRequest request, PooledBuffer upstreamBody, CancellationToken deadline)
    {
        var provider = deployment.Provider;
        if (request.Stream)
        {
            return AttemptOutcome.Failed(GatewayError.InvalidRequest(
                $"'stream' is not supported for model '{deployment.UpstreamModel}' on provider '{provider.Name}': its API returns whole images only. Send the request without stream.",
                "stream", UnsupportedCode));
        }
        if (request.ResponseFormat is "url")
        {
            return AttemptOutcome.Failed(GatewayError.InvalidRequest(
                $"'response_format: url' is not supported for model '{deployment.UpstreamModel}' on provider '{provider.Name}': its API returns image bytes, not links. Use response_format b64_json.",
                "response_format", UnsupportedCode));
        }
        upstreamBody.Clear();
        if (generator.WriteImageGeneration(request, deployment.UpstreamModel, upstreamBody) is { } refused)
        {
            return AttemptOutcome.Failed(GatewayError.InvalidRequest(refused.Message, refused.Param, refused.Code));
        }
        var message = UpstreamExchange.CreateRequest(generator.ImageGenerationUri(deployment.UpstreamModel), upstreamBody, false, provider, provider.Protocol!.Authorize);
        return await UpstreamAttempt.RunAsync(context, deployment, message, false, new TranslatedAnswer(generator, request, deployment.UpstreamModel), deadline);
    }

    /// <summary>An OpenAI Images answer (generations or edits) relayed as it came; its images and usage read on the way.</summary>
    internal readonly struct RelayedAnswer(ImageGenerationRequest request) : IAttemptAnswer
    {
        public async Task<AttemptOutcome> RelayStreamAsync(HttpContext context, HttpResponseMessage response, UpstreamProvider provider, AttemptClock clock)
        {
            var observer = new OpenAIImageStreamObserver(request.N);
            var outcome = await StreamRelay.RelayAsync(context, response, provider, OpenAIChatClientDialect.Instance, clock, new ForwardAndObserve(provider, observer));
            var images = new ImageUsage(observer.Completed, observer.Size ?? request.Size, observer.Quality ?? request.Quality, observer.ImageInputTokens);
            return outcome with { Usage = outcome.Usage with { Images = images } };
        }

        public ValueTask<AttemptOutcome> RelayJsonAsync(HttpContext context, HttpResponseMessage response, PooledBuffer json, UpstreamProvider provider)
        {
            if (UpstreamExchange.CheckAnswer(json.Span, provider) is { } invalid) return ValueTask.FromResult(AttemptOutcome.Failed(invalid));
            var usage = OpenAIImageAnswerReader.Read(json.Span, request.Size, request.Quality, out var reported);
            return AnswerAsync(context, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "application/json", json.Memory, usage, reported);
        }
    }

    /// <summary>Another API's images, written as an OpenAI Images answer.</summary>
    private readonly struct TranslatedAnswer(IUpstreamImageGenerator generator, ImageGenerationRequest request, string upstreamModel) : IAttemptAnswer
    {
        public Task<AttemptOutcome> RelayStreamAsync(HttpContext context, HttpResponseMessage response, UpstreamProvider provider, AttemptClock clock) =>
            throw new InvalidOperationException("Translated image requests are never streamed.");

        public async ValueTask<AttemptOutcome> RelayJsonAsync(HttpContext context, HttpResponseMessage response, PooledBuffer json, UpstreamProvider provider)
        {
            var read = generator.ReadImageGeneration(json.Span, upstreamModel);
            if (!read.IsSuccess)
            {
                return AttemptOutcome.Failed(read.Error.Code == ValidationError.ContentPolicy
                    ? new GatewayError(400, "invalid_request_error", ValidationError.ContentPolicy, read.Error.Message, ErrorDisposition.ContentPolicy) { Provider = provider.Name }
                    : new GatewayError(502, "upstream_error", "upstream_invalid_response",
                        $"Provider '{provider.Name}' answered with a body the gateway could not read: {read.Error}", ErrorDisposition.Retryable) { Provider = provider.Name });
            }
            var result = read.Value;
            using var output = new PooledBuffer(json.Length + 256);
            OpenAIImageResponseWriter.Write(result, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), output);
            var tokens = result.Usage;
            var images = new ImageUsage(result.Images.Count, request.Size, request.Quality, tokens?.ImageInputTokens ?? 0);
            var usage = tokens is null
                ? new TokenUsage { Images = images }
                : new TokenUsage(tokens.InputTokens, tokens.OutputTokens, tokens.TotalTokens, 0, 0) { Images = images };
            return await AnswerAsync(context, StatusCodes.Status200OK, "application/json", output.Memory, usage, tokens is not null);
        }
    }

    /// <summary>Sends a whole answer; its images are always known, so the record carries them even without token usage.</summary>
    private static async ValueTask<AttemptOutcome> AnswerAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body, TokenUsage usage, bool reported)
    {
        var outcome = await UpstreamAttempt.AnswerAsync(context, status, contentType, body, usage);
        return outcome with { UsageReported = reported };
    }
}
