using System.Buffers;
using System.IO.Pipelines;
using Switchboard.Providers;

namespace Switchboard.Streaming;

/// <summary>
/// The OpenAI audio event streams (<c>stream: true</c> transcriptions: <c>transcript.text.delta</c> …
/// <c>transcript.text.done</c>; <c>stream_format: "sse"</c> speech: <c>speech.audio.delta</c> …
/// <c>speech.audio.done</c>): forwarded, checked and scanned for usage exactly as chat events are
/// (<see cref="ForwardAndScanUsage"/>, which also reads their <c>input_tokens</c>/<c>output_tokens</c>), except for
/// the ending: the <c>…done</c> event marks the stream whole, as these streams send no <c>[DONE]</c>, and the gateway
/// adds none.
/// </summary>
public struct ForwardAudioEvents(UpstreamProvider provider) : IStreamStrategy
{
    private ForwardAndScanUsage _events = new(provider, clientWantsUsage: true);
    private bool _done;

    public readonly bool ReadsEventNames => false;
    public readonly bool SendsUpstreamErrors => true;
    public readonly bool IsComplete => _done || _events.IsComplete;

    public EventVerdict Read(in ReadOnlySequence<byte> sseEvent, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, ref StreamProgress progress)
    {
        var verdict = _events.Read(sseEvent, name, data, ref progress);
        if (progress.Failure is null && verdict != EventVerdict.Skip && IsDoneEvent(data)) _done = true;
        return verdict;
    }

    /// <summary><c>"type": "transcript.text.done"</c> or <c>"speech.audio.done"</c> (a byte scan; whitespace allowed).</summary>
    private static bool IsDoneEvent(ReadOnlySpan<byte> data) =>
        ForwardAndScanUsage.HasProperty(data, "\"type\""u8, nullAllowed: false)
        && (data.IndexOf("\"transcript.text.done\""u8) >= 0 || data.IndexOf("\"speech.audio.done\""u8) >= 0);

    public readonly void Write(in ReadOnlySequence<byte> sseEvent, PipeWriter output) => _events.Write(sseEvent, output);

    public readonly EventVerdict End(ref StreamProgress progress) => EventVerdict.Skip;

    public readonly EventVerdict Finish() => EventVerdict.Skip;

    public readonly void Dispose() { }
}
