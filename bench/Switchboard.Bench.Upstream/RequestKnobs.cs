using System.Buffers;
using System.Text.Json;

namespace Switchboard.Bench.Upstream;

/// <summary>
/// What one request asks for: stream or not, the usage chunk, per-request overrides of the knobs, and (OpenAI only)
/// whether the send time goes into the content text (model id ending in <see cref="TextStampModelSuffix"/>).
/// </summary>
public readonly record struct RequestKnobs(bool Stream, bool IncludeUsage, int DelayMs, int Chunks, int ChunkIntervalMs, bool TextStamp = false)
{
    /// <summary>
    /// A model id ending in this asks the OpenAI endpoint for text stamps: a gateway that translates the stream drops
    /// <c>obfuscation</c> but relays the text. (The bench_* body fields do not survive a translation; the model does,
    /// since the gateway's config names the upstream model.)
    /// </summary>
    public static ReadOnlySpan<byte> TextStampModelSuffix => "-text-stamp"u8;

    /// <summary>
    /// One forward pass over the top-level members with <see cref="Utf8JsonReader"/> (no allocation, works on a
    /// segmented body). Returns false for a body that is not a JSON object.
    /// </summary>
    public static bool TryParse(in ReadOnlySequence<byte> body, UpstreamOptions defaults, out RequestKnobs knobs)
    {
        knobs = new RequestKnobs(false, false, defaults.DelayMs, defaults.Chunks, defaults.ChunkIntervalMs);
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    knobs = knobs with { TextStamp = reader.TokenType == JsonTokenType.String && reader.ValueSpan.EndsWith(TextStampModelSuffix) };
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    knobs = knobs with { Stream = reader.TokenType == JsonTokenType.True };
                }
                else if (reader.ValueTextEquals("stream_options"u8))
                {
                    reader.Read();
                    knobs = knobs with { IncludeUsage = ReadIncludeUsage(ref reader) };
                }
                else if (reader.ValueTextEquals("bench_delay_ms"u8)) knobs = knobs with { DelayMs = ReadInt(ref reader, knobs.DelayMs) };
                else if (reader.ValueTextEquals("bench_chunks"u8)) knobs = knobs with { Chunks = ReadInt(ref reader, knobs.Chunks) };
                else if (reader.ValueTextEquals("bench_chunk_interval_ms"u8)) knobs = knobs with { ChunkIntervalMs = ReadInt(ref reader, knobs.ChunkIntervalMs) };
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int ReadInt(ref Utf8JsonReader reader, int fallback)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) && value >= 0 ? value : fallback;
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }
        var include = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            if (isIncludeUsage) include = reader.TokenType == JsonTokenType.True;
            else reader.Skip();
        }
        return include;
    }
}
