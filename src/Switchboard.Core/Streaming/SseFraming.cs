using System.Buffers;

namespace Switchboard.Streaming;

/// <summary>
/// Server-sent-event framing over a byte sequence: an event ends at a blank line (<c>\n\n</c> or <c>\r\n\r\n</c>).
/// Written by hand because no present package frames SSE over a PipeReader without copying
/// (System.Net.ServerSentEvents parses into strings/items and would lose the exact bytes we relay).
/// </summary>
public static class SseFraming
{
    /// <summary>
    /// Slices the next whole event (including its terminating blank line) off the front of <paramref name="buffer"/>.
    /// Returns false when no complete event is buffered yet.
    /// </summary>
    public static bool TryReadEvent(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> sseEvent)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: true))
        {
            if (reader.IsNext((byte)'\n', advancePast: true) || reader.IsNext("\r\n"u8, advancePast: true))
            {
                sseEvent = buffer.Slice(0, reader.Position);
                buffer = buffer.Slice(reader.Position);
                return true;
            }
        }
        sseEvent = default;
        return false;
    }

    /// <summary>
    /// The payload of the event's <c>data:</c> lines (joined with <c>\n</c> when there are several), copied into
    /// <paramref name="scratch"/> only when the event is not contiguous or has several data lines.
    /// Returns an empty span for comment-only or data-less events.
    /// </summary>
    public static ReadOnlySpan<byte> GetData(in ReadOnlySequence<byte> sseEvent, ref byte[]? scratch)
    {
        var span = Contiguous(sseEvent, ref scratch);

        ReadOnlySpan<byte> first = default;
        List<byte>? joined = null;
        while (!span.IsEmpty)
        {
            var newline = span.IndexOf((byte)'\n');
            var line = newline < 0 ? span : span[..newline];
            span = newline < 0 ? default : span[(newline + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            if (!line.StartsWith("data:"u8)) continue;
            line = line[5..];
            if (!line.IsEmpty && line[0] == (byte)' ') line = line[1..];
            if (first.IsEmpty && joined is null)
            {
                first = line;
                continue;
            }
            // Several data lines in one event are rare (OpenAI-style upstreams send one); join them per the SSE spec.
            joined ??= [.. first];
            joined.Add((byte)'\n');
            joined.AddRange(line);
        }
        return joined is null ? first : joined.ToArray();
    }

    /// <summary>The event's <c>event:</c> field (Anthropic names every event), or empty.</summary>
    public static ReadOnlySpan<byte> GetEventName(in ReadOnlySequence<byte> sseEvent, ref byte[]? scratch)
    {
        var span = Contiguous(sseEvent, ref scratch);
        if (!span.StartsWith("event:"u8)) return default;
        var end = span.IndexOfAny((byte)'\r', (byte)'\n');
        var name = span[6..(end < 0 ? span.Length : end)];
        return name.TrimStart((byte)' ');
    }

    /// <summary>The event as one span: itself when contiguous, else copied into a pooled <paramref name="scratch"/>.</summary>
    private static ReadOnlySpan<byte> Contiguous(ReadOnlySequence<byte> sseEvent, scoped ref byte[]? scratch)
    {
        if (sseEvent.IsSingleSegment) return sseEvent.FirstSpan;
        var length = (int)sseEvent.Length;
        if (scratch is null || scratch.Length < length)
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
            scratch = ArrayPool<byte>.Shared.Rent(length);
        }
        sseEvent.CopyTo(scratch);
        return scratch.AsSpan(0, length);
    }
}
