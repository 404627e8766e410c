using System.Buffers;
using System.IO.Pipelines;
using Switchboard.Dialects;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Translation.Canonical;

namespace Switchboard.Streaming;

/// <summary>
/// A stream between different wire formats: each upstream event is read into canonical events and written as the
/// client's frames, sent at once. Upstream error events are not forwarded: the relay ends with an error frame in the
/// client's dialect instead. An upstream that names no model in its stream is reported as the model id it was asked
/// for (<paramref name="upstreamModel"/>), never "" or the client's alias. Owns (and disposes) the client's stream writer.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Disposed by Dispose (IStreamStrategy is IDisposable); the rule misses it on this struct.")]
public struct TranslateEvents(UpstreamProvider provider, IUpstreamStreamReader reader, IClientStreamWriter writer, string upstreamModel) : IStreamStrategy
{
    private readonly List<StreamEvent> _events = new(8);
    private readonly PooledBuffer _frames = new(1024);
    private bool _finishing;

    public readonly bool ReadsEventNames => true;
    public readonly bool SendsUpstreamErrors => false;
    public readonly bool IsComplete => reader.IsComplete;

    public readonly EventVerdict Read(in ReadOnlySequence<byte> sseEvent, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, ref StreamProgress progress)
    {
        if (data.IsEmpty) return EventVerdict.Skip;
        _events.Clear();
        if (!reader.TryRead(name, data, _events, out var invalid))
        {
            progress.Failure = StreamFailures.Garbled(provider, invalid?.ToString());
            return EventVerdict.Skip;
        }
        NameTheModel(_events);
        progress.Take(_events, provider);
        if (progress.Failure is not null)
        {
            if (!progress.Started) return EventVerdict.Skip;
            // What came with the error still reaches the client; the error itself comes as the client's own frame.
            _events.RemoveAll(static e => e is StreamErrorEvent);
        }
        return Frame();
    }

    public readonly void Write(in ReadOnlySequence<byte> sseEvent, PipeWriter output)
    {
        if (_finishing) writer.Finish(output);
        else output.Write(_frames.Span);
    }

    /// <summary>Whatever the upstream's reader held back to the end (e.g. a usage event).</summary>
    public readonly EventVerdict End(ref StreamProgress progress)
    {
        _events.Clear();
        reader.Complete(_events);
        NameTheModel(_events);
        progress.Take(_events, provider);
        return progress.Failure is null ? Frame() : EventVerdict.Skip;
    }

    /// <summary>The client dialect's end of a complete stream (OpenAI: <c>data: [DONE]</c>).</summary>
    public EventVerdict Finish()
    {
        _finishing = true;
        return EventVerdict.Send;
    }

    /// <summary>The client's stream writer ends the failure itself when it keeps state the frame needs.</summary>
    public readonly bool TryWriteFailure(GatewayError error, PipeWriter output) => writer.TryFail(error, output);

    public void Dispose()
    {
        writer.Dispose();
        _frames.Dispose();
    }

    /// <summary>A start that names no model gets the id the upstream was asked for.</summary>
    private readonly void NameTheModel(List<StreamEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is StreamStartEvent { Model.Length: 0 } start) events[i] = start with { Model = upstreamModel };
        }
    }

    /// <summary>The client frames of the events just read, in <see cref="_frames"/>; Skip when there are none.</summary>
    private readonly EventVerdict Frame()
    {
        if (_events.Count == 0) return EventVerdict.Skip;
        _frames.Clear();
        writer.Write(_events, _frames);
        return _frames.Length == 0 ? EventVerdict.Skip : EventVerdict.Send;
    }
}
