using System.Buffers.Text;
using System.Diagnostics;

namespace Switchboard.Bench.Client;

/// <summary>
/// What a client saw of one SSE event: when its read completed, the upstream's send stamp in it (0: none), what
/// kind of event it was, and whether it ends the stream.
/// </summary>
public readonly record struct SseArrival(long ArrivedAt, long SentAt, SseKind Kind, bool Final);

/// <summary>
/// Start: the event that opens a stream before any content (OpenAI's role chunk, Anthropic's message_start, the
/// Responses API's response.created).
/// Content: an event that carries a token. Done: OpenAI's <c>[DONE]</c>.
/// </summary>
public enum SseKind { Start, Content, Other, Done }

/// <summary>
/// Reads an SSE body and timestamps every event at the moment the read that completed it returned. The bench
/// upstream writes its monotonic send time into each chunk, in OpenAI's <c>obfuscation</c> field or, where a
/// gateway translates the stream and would drop that field, at the start of the token's text (<c>[t=</c> + 19 digits
/// + <c>]</c>). On the same host both processes read the same clock (CLOCK_MONOTONIC), so arrival minus send time is
/// the one-way latency of that chunk through whatever sits between. Reads all four dialects: OpenAI chunks, Responses
/// API events, Anthropic Messages events, Gemini GenerateContentResponse chunks (events end at <c>\n\n</c> or
/// <c>\r\n\r\n</c>).
/// </summary>
public static class SseArrivalReader
{
    private static ReadOnlySpan<byte> StampMarker => "\"obfuscation\":\""u8;
    private static ReadOnlySpan<byte> TextStampMarker => "[t="u8;
    private static ReadOnlySpan<byte> ResponsesTypeMarker => "\"type\":\"response."u8;

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
                var (end, separator) = EventEnd(rest);
                if (end < 0) break;
                if (end > 0) events.Add(Classify(rest[..end], arrived));
                consumed += end + separator;
            }
            if (consumed > 0)
            {
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        return events;
    }

    /// <summary>Where the first event ends (a blank line) and the length of the blank line's bytes; -1 if incomplete.</summary>
    private static (int End, int Separator) EventEnd(ReadOnlySpan<byte> rest)
    {
        var lf = rest.IndexOf("\n\n"u8);
        var crlf = rest.IndexOf("\r\n\r\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf)) return (crlf, 4);
        return (lf, lf < 0 ? 0 : 2);
    }

    private static SseArrival Classify(ReadOnlySpan<byte> sseEvent, long arrived)
    {
        if (sseEvent.SequenceEqual("data: [DONE]"u8)) return new SseArrival(arrived, 0, SseKind.Done, Final: true);
        var responsesAt = sseEvent.IndexOf(ResponsesTypeMarker);
        if (responsesAt >= 0) return ClassifyResponses(sseEvent, sseEvent[(responsesAt + ResponsesTypeMarker.Length)..], arrived);
        long sent = 0;
        var at = sseEvent.IndexOf(StampMarker);
        if (at >= 0 && Utf8Parser.TryParse(sseEvent[(at + StampMarker.Length)..], out long stamp, out _)) sent = stamp;
        var textAt = sseEvent.IndexOf(TextStampMarker);
        if (sent == 0 && textAt >= 0 && Utf8Parser.TryParse(sseEvent[(textAt + TextStampMarker.Length)..], out long textStamp, out _)) sent = textStamp;
        var kind = textAt >= 0 ? SseKind.Content
            : sseEvent.IndexOf("\"delta\":{\"role\""u8) >= 0 || sseEvent.IndexOf("\"type\":\"message_start\""u8) >= 0 ? SseKind.Start
            : sseEvent.IndexOf("\"delta\":{\"content\""u8) >= 0 // OpenAI
                || sseEvent.IndexOf("\"type\":\"content_block_delta\""u8) >= 0 // Anthropic
                || sseEvent.IndexOf("\"parts\":[{\"text\""u8) >= 0 ? SseKind.Content // Gemini
            : SseKind.Other;
        // Anthropic ends with message_stop; Gemini's last chunk is the one with a finish reason (it may carry a token).
        var final = sseEvent.IndexOf("\"type\":\"message_stop\""u8) >= 0 || sseEvent.IndexOf("\"finishReason\""u8) >= 0;
        return new SseArrival(arrived, sent, kind, final);
    }

    /// <summary>
    /// A Responses API event, by its type (the text after <c>"type":"response.</c>): only output_text.delta carries a
    /// token (the done events and response.completed repeat the whole text, stamps included, and are not content), and
    /// not an empty one (a gateway translating a chat stream may turn the role chunk's empty content into one).
    /// </summary>
    private static SseArrival ClassifyResponses(ReadOnlySpan<byte> sseEvent, ReadOnlySpan<byte> type, long arrived)
    {
        if (type.StartsWith("output_text.delta\""u8) && sseEvent.IndexOf("\"delta\":\"\""u8) < 0)
        {
            var textAt = sseEvent.IndexOf(TextStampMarker);
            long sent = textAt >= 0 && Utf8Parser.TryParse(sseEvent[(textAt + TextStampMarker.Length)..], out long stamp, out _) ? stamp : 0;
            return new SseArrival(arrived, sent, SseKind.Content, Final: false);
        }
        var kind = type.StartsWith("created\""u8) ? SseKind.Start : SseKind.Other;
        var final = type.StartsWith("completed\""u8) || type.StartsWith("incomplete\""u8) || type.StartsWith("failed\""u8);
        return new SseArrival(arrived, 0, kind, final);
    }
}
