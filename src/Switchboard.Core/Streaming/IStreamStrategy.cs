using System.Buffers;
using System.IO.Pipelines;
using Switchboard.Errors;

namespace Switchboard.Streaming;

/// <summary>What <see cref="StreamRelay"/> does with one upstream event once its strategy has read it.</summary>
public enum EventVerdict
{
    /// <summary>Nothing reaches the client for this event (a hidden usage chunk, an event with no client frames).</summary>
    Skip,
    /// <summary>The strategy's bytes for the event go to the client and are flushed at once.</summary>
    Send,
    /// <summary>Send, then stop reading: the upstream said its last word (OpenAI's <c>[DONE]</c>).</summary>
    SendLast,
}

/// <summary>
/// What one kind of stream does with each upstream event, while <see cref="StreamRelay"/> owns everything they share
/// (reading, timeouts, cancellation, flushing, the failed ending). Implemented by structs and passed as a generic
/// argument, so the relay's per-event calls are direct and the strategy lives in the relay's own state (no allocation).
/// A strategy never writes to the client while reading: it says <see cref="EventVerdict.Send"/>, the relay starts the
/// response if needed and calls <see cref="Write"/>.
/// </summary>
public interface IStreamStrategy : IDisposable
{
    /// <summary>True when <see cref="Read"/> needs the events' <c>event:</c> names (looked up only then).</summary>
    bool ReadsEventNames { get; }

    /// <summary>
    /// True when a failure the strategy reports while reading is also in the bytes it sends (the upstream's error event,
    /// scrubbed): the relay then writes no error frame of its own after it.
    /// </summary>
    bool SendsUpstreamErrors { get; }

    /// <summary>True once the upstream has said the answer is whole (a cut stream never is).</summary>
    bool IsComplete { get; }

    /// <summary>
    /// Reads one upstream event (its whole bytes, its <c>data:</c> payload, its name when asked for): records usage
    /// and failure in <paramref name="progress"/>. After a failure the relay sends nothing more of the upstream's,
    /// and before the response started it sends nothing at all (another deployment may still answer invisibly).
    /// </summary>
    EventVerdict Read(in ReadOnlySequence<byte> sseEvent, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, ref StreamProgress progress);

    /// <summary>Writes the client's bytes for what was just read (or ended, or finished) with verdict Send.</summary>
    void Write(in ReadOnlySequence<byte> sseEvent, PipeWriter output);

    /// <summary>The upstream closed its stream without failure: reads what was held back (Send when there are bytes).</summary>
    EventVerdict End(ref StreamProgress progress);

    /// <summary>The stream is complete: Send when the client needs a closing frame the upstream did not send.</summary>
    EventVerdict Finish();

    /// <summary>
    /// The stream failed after it started: writes the strategy's own failure frames and returns true, or false to let
    /// the relay write the client dialect's stateless error frame (the default).
    /// </summary>
    bool TryWriteFailure(GatewayError error, PipeWriter output) => false;
}
