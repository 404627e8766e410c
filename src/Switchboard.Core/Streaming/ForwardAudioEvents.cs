using System.Buffers;
using System.IO.Pipelines;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI.Audio;

namespace Switchboard.Streaming;

/// <summary>
/// The OpenAI audio event streams (<c>stream: true</c> transcriptions: <c>transcript.text.delta</c> …
/// <c>transcript.text.done</c>; <c>stream_format: "sse"</c> speech: <c>speech.audio.delta</c> …
/// <c>speech.audio.done</c>), forwarded as received. Each event is checked to be a JSON object, its usage read from the
/// <c>…done</c> event, which also marks the stream whole (these streams send no <c>[DONE]</c>, and the gateway adds none).
/// </summary>
public struct ForwardAudioEvents(UpstreamProvider provider) : IStreamStrategy
{
    private bool _done;
    private byte[]? _replacement;

    public readonly bool ReadsEventNames => false;
    public readonly bool SendsUpstreamErrors => true;
    public readonly bool IsComplete => _done;

    public EventVerdict Read(in ReadOnlySequence<byte> sseEvent, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, ref StreamProgress progress)
    {
        _replacement = null;
        if (data.SequenceEqual("[DONE]"u8))
        {
            _done = true;
            return EventVerdict.SendLast;
        }
        if (data.IsEmpty) return EventVerdict.Send;
        var kind = WireJson.Check(data);
        if (kind == WireJsonKind.Invalid)
        {
            progress.Failure = StreamFailures.Garbled(provider, null);
            return EventVerdict.Skip;
        }
        if (kind == WireJsonKind.Error)
        {
            progress.Failure = ForwardAndScanUsage.ReportedError(data, provider);
            if (!progress.Started) return EventVerdict.Skip;
            _replacement = ForwardedEvent.Scrubbed(default, data, provider);
            return EventVerdict.Send;
        }
        if (IsDoneEvent(data))
        {
            _done = true;
            var usage = AudioUsageReader.Read(data);
            if (usage.HasTokens) progress.SetUsage(usage.Tokens);
        }
        return EventVerdict.Send;
    }

    /// <summary><c>"type": "transcript.text.done"</c> or <c>"speech.audio.done"</c> (a byte scan; whitespace allowed).</summary>
    private static bool IsDoneEvent(ReadOnlySpan<byte> data) =>
        ForwardAndScanUsage.HasProperty(data, "\"type\""u8, nullAllowed: false)
        && (data.IndexOf("\"transcript.text.done\""u8) >= 0 || data.IndexOf("\"speech.audio.done\""u8) >= 0);

    public readonly void Write(in ReadOnlySequence<byte> sseEvent, PipeWriter output) => ForwardedEvent.Write(output, sseEvent, _replacement);

    public readonly EventVerdict End(ref StreamProgress progress) => EventVerdict.Skip;

    public readonly EventVerdict Finish() => EventVerdict.Skip;

    public readonly void Dispose() { }
}
