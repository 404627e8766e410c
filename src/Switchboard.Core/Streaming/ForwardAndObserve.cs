using System.Buffers;
using System.IO.Pipelines;
using Switchboard.Providers;
using Switchboard.Errors;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Streaming;

/// <summary>
/// A passthrough on a wire other than OpenAI's (e.g. Anthropic → Anthropic): every event's bytes go out as received,
/// while the upstream's own stream reader watches them for usage, the end of the message and in-stream errors. Nothing
/// is re-encoded, so nothing the gateway does not model is lost — except an error event, relayed in its own shape with
/// every string scrubbed of secrets (upstreams echo keys).
/// </summary>
public struct ForwardAndObserve(UpstreamProvider provider, IUpstreamStreamReader observer) : IStreamStrategy
{
    private readonly List<StreamEvent> _events = new(8);
    private byte[]? _replacement;

    public readonly bool ReadsEventNames => true;
    public readonly bool SendsUpstreamErrors => true;
    public readonly bool IsComplete => observer.IsComplete;

    public EventVerdict Read(in ReadOnlySequence<byte> sseEvent, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, ref StreamProgress progress)
    {
        _replacement = null;
        // Comments and data-less events (keep-alives) go along untouched.
        if (data.IsEmpty) return EventVerdict.Send;
        _events.Clear();
        // The observer may stop reading an event it has no use for (a ping): the whole event is checked here.
        var kind = WireJson.Check(data);
        if (kind == WireJsonKind.Invalid || (!observer.TryRead(name, data, _events, out var invalid)
            && invalid?.Code is ValidationError.InvalidJson or ValidationError.InvalidType))
        {
            // Garbage is never relayed; the client gets the error instead (or another deployment, before start).
            progress.Failure = StreamFailures.Garbled(provider, null);
            return EventVerdict.Skip;
        }
        progress.Take(_events, provider);
        // An error before anything was sent may still fall over invisibly; after, the client sees it, scrubbed.
        if (progress.Failure is not null && !progress.Started) return EventVerdict.Skip;
        if (progress.Failure is not null || kind == WireJsonKind.Error) _replacement = ForwardedEvent.Scrubbed(name, data, provider);
        return EventVerdict.Send;
    }

    public readonly void Write(in ReadOnlySequence<byte> sseEvent, PipeWriter output) => ForwardedEvent.Write(output, sseEvent, _replacement);

    public readonly EventVerdict End(ref StreamProgress progress) => EventVerdict.Skip;

    public readonly EventVerdict Finish() => EventVerdict.Skip;

    /// <summary>The upstream's wire knows how its stream ends on a failure (e.g. Responses: numbered after its last event).</summary>
    public readonly bool TryWriteFailure(GatewayError error, PipeWriter output) => observer.TryWriteRelayedFailure(error, output);

    public readonly void Dispose() { }
}
