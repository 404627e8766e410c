using System.Buffers;
using System.IO.Pipelines;
using Switchboard.Errors;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Streaming;

/// <summary>
/// The OpenAI-wire passthrough: each event's bytes go to the client as received. The strategy looks inside an event
/// only to check it is a well-formed JSON object (garbage is never relayed), to learn usage with a byte scan, to drop
/// the usage chunk the gateway asked for on the client's behalf, to tell a finished stream from a cut one, and to scrub
/// secrets from an upstream error event (the one event it rewrites).
/// </summary>
public struct ForwardAndScanUsage(UpstreamProvider provider, bool clientWantsUsage) : IStreamStrategy
{
    private static readonly byte[] DoneEvent = "data: [DONE]\n\n"u8.ToArray();

    private bool _sawDone, _sawFinish;
    private byte[]? _replacement;

    public readonly bool ReadsEventNames => false;
    public readonly bool SendsUpstreamErrors => true;

    /// <summary>Complete at <c>[DONE]</c>, or at a finish chunk (some OpenAI-compatible servers never send <c>[DONE]</c>).</summary>
    public readonly bool IsComplete => _sawDone || _sawFinish;

    public EventVerdict Read(in ReadOnlySequence<byte> sseEvent, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, ref StreamProgress progress)
    {
        _replacement = null;
        if (data.SequenceEqual("[DONE]"u8))
        {
            _sawDone = true;
            return EventVerdict.SendLast;
        }
        if (data.IsEmpty) return EventVerdict.Send;
        var kind = WireJson.Check(data);
        if (kind == WireJsonKind.Invalid)
        {
            // Never relayed: a client must not have to parse garbage before it learns the stream failed.
            progress.Failure = StreamFailures.Garbled(provider, null);
            return EventVerdict.Skip;
        }
        if (kind == WireJsonKind.Error)
        {
            progress.Failure = ReportedError(data, provider);
            // Before the start another deployment may still answer invisibly: nothing is sent.
            if (!progress.Started) return EventVerdict.Skip;
            // Relayed in the upstream's own shape, but never with a secret it echoed (the provider key).
            _replacement = ForwardedEvent.Scrubbed(default, data, provider);
            return EventVerdict.Send;
        }
        if (HasProperty(data, "\"finish_reason\""u8, nullAllowed: false)) _sawFinish = true;
        if (HasProperty(data, "\"usage\""u8, nullAllowed: false))
        {
            var read = OpenAIUsageReader.Read(data);
            if (read.HasUsage)
            {
                progress.SetUsage(read.Usage);
                // We asked for the usage chunk on the client's behalf: it never asked, so it never sees it.
                if (!clientWantsUsage && read.ChoicesEmpty) return EventVerdict.Skip;
            }
        }
        return EventVerdict.Send;
    }

    public readonly void Write(in ReadOnlySequence<byte> sseEvent, PipeWriter output) => ForwardedEvent.Write(output, sseEvent, _replacement);

    public readonly EventVerdict End(ref StreamProgress progress) => EventVerdict.Skip;

    /// <summary>A stream that ended after its finish chunk without <c>[DONE]</c> is whole: the client gets the <c>[DONE]</c>.</summary>
    public EventVerdict Finish()
    {
        if (_sawDone) return EventVerdict.Skip;
        _replacement = DoneEvent;
        return EventVerdict.Send;
    }

    public readonly void Dispose() { }

    /// <summary>An OpenAI mid-stream error (<c>{"error": {...}}</c>) as the attempt's failure, its message scrubbed.</summary>
    private static GatewayError ReportedError(ReadOnlySpan<byte> data, UpstreamProvider provider)
    {
        var info = OpenAIErrorBody.Read(data);
        var message = info?.Message ?? System.Text.Encoding.UTF8.GetString(data.Length > 1000 ? data[..1000] : data);
        return StreamFailures.Reported(provider, info?.Code ?? info?.Type, message);
    }

    /// <summary>
    /// True when <paramref name="name"/> occurs with a value other than null (whitespace around the colon allowed,
    /// as Python servers emit it). A cheap scan that decides whether an event needs a real parse.
    /// </summary>
    internal static bool HasProperty(ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, bool nullAllowed)
    {
        while (true)
        {
            var at = data.IndexOf(name);
            if (at < 0) return false;
            data = data[(at + name.Length)..];
            var rest = data.TrimStart(" \t"u8);
            if (rest.IsEmpty || rest[0] != (byte)':') continue;
            rest = rest[1..].TrimStart(" \t"u8);
            if (nullAllowed || !rest.StartsWith("null"u8)) return true;
        }
    }
}
