using System.Buffers.Text;
using System.Diagnostics;

namespace Switchboard.Bench.Client;

/// <summary>What a client saw of one SSE event: when its read completed, and what kind of event it was.</summary>
public readonly record struct SseArrival(long ArrivedAt, long SentAt, SseKind Kind);

public enum SseKind { Role, Content, Other, Done }

/// <summary>
/// Reads an SSE body and timestamps every event at the moment the read that completed it returned. The bench
/// upstream writes its monotonic send time into each chunk's <c>obfuscation</c> field; on the same host both
/// processes read the same clock (CLOCK_MONOTONIC), so arrival minus send time is the one-way latency of that
/// chunk through whatever sits between.
/// </summary>
public static class SseArrivalReader
{
    private static ReadOnlySpan<byte> StampMarker => "\"obfuscation\":\""u8;

    public static async Task<List<SseArrival>> ReadAsync(Stream body, byte[] buffer, CancellationToken cancel)
    {
        var events = new List<SseArrival>(64);
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length) throw new InvalidOperationException("an SSE event is larger than the read buffer");
            var read = await body.ReadAsync(buffer.AsMemory(filled), cancel);
            var arrived = Stopwatch.GetTimestamp();
            if (read == 0) break;
            filled += read;
            var consumed = 0;
            while (true)
            {
                var rest = buffer.AsSpan(consumed, filled - consumed);
                var end = rest.IndexOf("\n\n"u8);
                if (end < 0) break;
                events.Add(Classify(rest[..end], arrived));
                consumed += end + 2;
            }
            if (consumed > 0)
            {
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        return events;
    }

    private static SseArrival Classify(ReadOnlySpan<byte> sseEvent, long arrived)
    {
        if (sseEvent.SequenceEqual("data: [DONE]"u8)) return new SseArrival(arrived, 0, SseKind.Done);
        long sent = 0;
        var at = sseEvent.IndexOf(StampMarker);
        if (at >= 0 && Utf8Parser.TryParse(sseEvent[(at + StampMarker.Length)..], out long stamp, out _)) sent = stamp;
        var kind = sseEvent.IndexOf("\"delta\":{\"role\""u8) >= 0 ? SseKind.Role
            : sseEvent.IndexOf("\"delta\":{\"content\""u8) >= 0 ? SseKind.Content
            : SseKind.Other;
        return new SseArrival(arrived, sent, kind);
    }
}
