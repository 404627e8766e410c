using System.Text.Json;

namespace Switchboard.Errors;

/// <summary>Renders a <see cref="GatewayError"/> in the OpenAI dialect: <c>{"error":{message,type,param,code}}</c>.</summary>
public static class OpenAIErrorWriter
{
    /// <summary>Writes the error object (the same shape serves as a mid-stream SSE error payload).</summary>
    public static void Write(Utf8JsonWriter writer, GatewayError error)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, error.Message);
        writer.WriteString("type"u8, error.Type);
        if (error.Param is null) writer.WriteNull("param"u8); else writer.WriteString("param"u8, error.Param);
        if (error.Code is null) writer.WriteNull("code"u8); else writer.WriteString("code"u8, error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Messages quote names with ' and ` as OpenAI's do; the relaxed encoder keeps them readable instead of \u0027
    /// (it still escapes quotes and control characters, which is all JSON needs outside HTML).
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The error as UTF-8 JSON bytes.</summary>
    public static byte[] ToUtf8(GatewayError error)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, error);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
