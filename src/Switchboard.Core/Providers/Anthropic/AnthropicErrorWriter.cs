using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Anthropic;

/// <summary>Writes Anthropic error bodies, for answering <c>/v1/messages</c> clients.</summary>
public static class AnthropicErrorWriter
{
    /// <summary>Writes <c>{"type":"error","error":{"type":<paramref name="type"/>,"message":<paramref name="message"/>}}</c>,
    /// with <c>request_id</c> when given.</summary>
    public static void Write(IBufferWriter<byte> output, string type, string message, string? requestId = null)
    {
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        Write(writer, type, message, requestId);
        writer.Flush();
    }

    /// <summary>The same as a new byte array.</summary>
    public static byte[] ToUtf8Bytes(string type, string message, string? requestId = null)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        Write(buffer, type, message, requestId);
        return buffer.WrittenSpan.ToArray();
    }

    internal static void Write(Utf8JsonWriter writer, string type, string message, string? requestId)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, type);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        if (requestId is not null)
        {
            writer.WriteString("request_id"u8, requestId);
        }
        writer.WriteEndObject();
    }
}
