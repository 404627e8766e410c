using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Http;
using Switchboard.Http.Multipart;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Providers.OpenAI.Audio;
using Switchboard.Routing;
using Switchboard.Streaming;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>
/// The attempts of an operation whose answer is relayed as the upstream sends it (speech, transcriptions,
/// translations, moderations), on OpenAI-wire upstreams only: the client's JSON with only
/// <c>model</c> spliced, or its multipart form with <c>model</c> replaced, goes to the operation's URL; the answer comes
/// back as audio or text bytes relayed as they arrive (<see cref="MediaRelay"/>), as events
/// (<see cref="ForwardAudioEvents"/>), or as JSON whose usage (tokens, seconds) is read.
/// </summary>
public sealed class MediaAttempts : IOperationAttempts
{
    public static MediaAttempts Instance { get; } = new();

    private MediaAttempts()
    {
    }

    public bool Translates(IUpstreamProtocol protocol) => false;

    public async Task<AttemptOutcome> RunAsync(HttpContext context, ProxyOperation operation, RoutedDeployment deployment, IUpstreamProtocol protocol,
        bool passthrough, OpenAIRequestHead head, PooledBuffer body, PooledBuffer upstreamBody, MultipartForm? form, CancellationToken deadline)
    {
        var provider = deployment.Provider;
        var uri = operation.OpenAITarget!(provider.Target!, deployment.UpstreamModel);
        HttpContent content;
        if (form is not null)
        {
            content = form.CreateContent("model", deployment.UpstreamModel);
        }
        else
        {
            upstreamBody.Clear();
            OpenAIBodyRewriter.Rewrite(body.Span, head, deployment.UpstreamModelJson, upstreamBody, forceUsage: false);
            content = new ReadOnlyMemoryContent(upstreamBody.Memory);
            content.Headers.ContentType = UpstreamExchange.JsonContentType;
        }
        var request = UpstreamExchange.CreateRequest(uri, content, UpstreamExchange.AcceptAny, provider, protocol.Authorize);
        var outcome = await UpstreamAttempt.RunAsync(context, deployment, request, stream: true, new Answer(operation.Dialect), deadline, media: true);
        // Characters are billed once the client got the answer (or part of it), whatever the upstream reported.
        var characters = operation.Kind == OpenAIRequestHead.Kind.Speech && outcome.FirstByteTimestamp is not null ? InputCharacters(body.Span) : 0;
        var units = outcome.Units with { Kind = operation.Metering, Characters = characters };
        return outcome with { Units = units, UsageReported = outcome.UsageReported || units.IsReported };
    }

    /// <summary>The characters (Unicode scalar values) of a speech request's <c>input</c>; 0 when it has none.</summary>
    internal static long InputCharacters(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isInput = reader.ValueTextEquals("input"u8);
                reader.Read();
                if (isInput && reader.TokenType == JsonTokenType.String) return reader.GetString()!.EnumerateRunes().Count();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return 0;
    }

    /// <summary>Events forwarded with their usage read; a JSON answer relayed with its tokens or seconds.</summary>
    private readonly struct Answer(IClientDialect dialect) : IAttemptAnswer
    {
        public Task<AttemptOutcome> RelayStreamAsync(HttpContext context, HttpResponseMessage response, UpstreamProvider provider, AttemptClock clock) =>
            StreamRelay.RelayAsync(context, response, provider, dialect, clock, new ForwardAudioEvents(provider));

        public async ValueTask<AttemptOutcome> RelayJsonAsync(HttpContext context, HttpResponseMessage response, PooledBuffer json, UpstreamProvider provider)
        {
            if (UpstreamExchange.CheckAnswer(json.Span, provider) is { } invalid) return AttemptOutcome.Failed(invalid);
            var usage = AudioUsageReader.Read(json.Span);
            var outcome = await UpstreamAttempt.AnswerAsync(context, (int)response.StatusCode,
                response.Content.Headers.ContentType?.ToString() ?? "application/json", json.Memory, usage.HasTokens ? usage.Tokens : null);
            return outcome with { Units = new MeteredUnits(default, 0, usage.Seconds) };
        }
    }
}
