using System.Text.Json;

namespace Switchboard.MockUpstream.Anthropic;

/// <summary>One SSE event of a Messages stream: its <c>event:</c> name and the writer of its data.</summary>
internal readonly record struct StreamEvent(byte[] Name, Action<Utf8JsonWriter> Write);

/// <summary>Writes a <see cref="MessageResult"/> as the Message object or as the API's exact event sequence.</summary>
internal static class MessagesWriter
{
    private static readonly byte[] MessageStart = "message_start"u8.ToArray();
    private static readonly byte[] BlockStart = "content_block_start"u8.ToArray();
    private static readonly byte[] BlockDelta = "content_block_delta"u8.ToArray();
    private static readonly byte[] BlockStop = "content_block_stop"u8.ToArray();
    private static readonly byte[] Ping = "ping"u8.ToArray();
    private static readonly byte[] MessageDelta = "message_delta"u8.ToArray();
    private static readonly byte[] MessageStop = "message_stop"u8.ToArray();

    public static void WriteMessage(Utf8JsonWriter w, MessageResult r)
    {
        WriteHead(w, r);
        w.WriteStartArray("content"u8);
        foreach (var b in r.Blocks)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, b.Type);
            switch (b.Type)
            {
                case "thinking":
                    w.WriteString("thinking"u8, b.Content);
                    w.WriteString("signature"u8, b.Signature);
                    break;
                case "tool_use":
                    w.WriteString("id"u8, b.Id);
                    w.WriteString("name"u8, b.Name);
                    w.WritePropertyName("input"u8);
                    w.WriteRawValue(b.Complete ? b.Content : "{}");
                    break;
                default:
                    w.WriteString("text"u8, b.Content);
                    break;
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("stop_reason"u8, r.StopReason);
        JsonShape.WriteNullable(w, "stop_sequence"u8, r.StopSequence);
        WriteUsage(w, r, r.OutputTokens);
        w.WriteEndObject();
    }

    /// <summary>
    /// message_start, then per block content_block_start / deltas / content_block_stop (a ping after the first
    /// start), message_delta with the stop reason and usage, message_stop.
    /// </summary>
    public static List<StreamEvent> PlanStream(MessageResult r)
    {
        var events = new List<StreamEvent>
        {
            new(MessageStart, w =>
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "message_start");
                w.WritePropertyName("message"u8);
                WriteHead(w, r);
                w.WriteStartArray("content"u8);
                w.WriteEndArray();
                w.WriteNull("stop_reason"u8);
                w.WriteNull("stop_sequence"u8);
                WriteUsage(w, r, 1);
                w.WriteEndObject();
                w.WriteEndObject();
            }),
        };
        for (int i = 0; i < r.Blocks.Count; i++)
        {
            int index = i;
            var b = r.Blocks[i];
            events.Add(new(BlockStart, w => WriteBlockStart(w, index, b)));
            if (index == 0)
            {
                events.Add(new(Ping, static w =>
                {
                    w.WriteStartObject();
                    w.WriteString("type"u8, "ping");
                    w.WriteEndObject();
                }));
            }
            if (b.Type == "tool_use")
            {
                events.Add(new(BlockDelta, w => WriteDelta(w, index, "input_json_delta", "partial_json"u8, "")));
            }
            foreach (var piece in b.Pieces)
            {
                events.Add(b.Type switch
                {
                    "thinking" => new(BlockDelta, w => WriteDelta(w, index, "thinking_delta", "thinking"u8, piece)),
                    "tool_use" => new(BlockDelta, w => WriteDelta(w, index, "input_json_delta", "partial_json"u8, piece)),
                    _ => new(BlockDelta, w => WriteDelta(w, index, "text_delta", "text"u8, piece)),
                });
            }
            if (b.Type == "thinking")
            {
                events.Add(new(BlockDelta, w => WriteDelta(w, index, "signature_delta", "signature"u8, b.Signature!)));
            }
            events.Add(new(BlockStop, w =>
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "content_block_stop");
                w.WriteNumber("index"u8, index);
                w.WriteEndObject();
            }));
        }
        events.Add(new(MessageDelta, w =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message_delta");
            w.WriteStartObject("delta"u8);
            w.WriteString("stop_reason"u8, r.StopReason);
            JsonShape.WriteNullable(w, "stop_sequence"u8, r.StopSequence);
            w.WriteEndObject();
            w.WriteStartObject("usage"u8);
            w.WriteNumber("input_tokens"u8, r.InputTokens);
            w.WriteNumber("cache_creation_input_tokens"u8, 0);
            w.WriteNumber("cache_read_input_tokens"u8, r.CacheReadTokens);
            w.WriteNumber("output_tokens"u8, r.OutputTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        events.Add(new(MessageStop, static w =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message_stop");
            w.WriteEndObject();
        }));
        return events;
    }

    public static void WriteCount(Utf8JsonWriter w, int tokens)
    {
        w.WriteStartObject();
        w.WriteNumber("input_tokens"u8, tokens);
        w.WriteEndObject();
    }

    /// <summary>Opens the Message object and writes id, type, role, model (the caller continues with content).</summary>
    private static void WriteHead(Utf8JsonWriter w, MessageResult r)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, r.Id);
        w.WriteString("type"u8, "message");
        w.WriteString("role"u8, "assistant");
        w.WriteString("model"u8, r.Model);
    }

    private static void WriteUsage(Utf8JsonWriter w, MessageResult r, int outputTokens)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, r.InputTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, 0);
        w.WriteNumber("cache_read_input_tokens"u8, r.CacheReadTokens);
        w.WriteStartObject("cache_creation"u8);
        w.WriteNumber("ephemeral_5m_input_tokens"u8, 0);
        w.WriteNumber("ephemeral_1h_input_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens"u8, outputTokens);
        w.WriteString("service_tier"u8, "standard");
        w.WriteEndObject();
    }

    private static void WriteBlockStart(Utf8JsonWriter w, int index, OutBlock b)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_start");
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("content_block"u8);
        w.WriteString("type"u8, b.Type);
        switch (b.Type)
        {
            case "thinking":
                w.WriteString("thinking"u8, "");
                w.WriteString("signature"u8, "");
                break;
            case "tool_use":
                w.WriteString("id"u8, b.Id);
                w.WriteString("name"u8, b.Name);
                w.WriteStartObject("input"u8);
                w.WriteEndObject();
                break;
            default:
                w.WriteString("text"u8, "");
                break;
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteDelta(Utf8JsonWriter w, int index, string type, ReadOnlySpan<byte> field, string value)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "content_block_delta");
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("delta"u8);
        w.WriteString("type"u8, type);
        w.WriteString(field, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
