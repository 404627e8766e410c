using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Writes a <see cref="ChatResponse"/> as a <c>chat.completion</c> body in the member order OpenAI uses.
/// Thinking goes out as <c>reasoning_content</c>, plus LiteLLM's <c>thinking_blocks</c> when it carries
/// signatures, so an OpenAI client can hand it back in the next turn.
/// </summary>
public static class OpenAIChatResponseWriter
{
    /// <summary>Writes the body into <paramref name="output"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="output">Destination of the UTF-8 JSON.</param>
    /// <param name="model">Model name to report instead of <see cref="ChatResponse.Model"/> (e.g. the
    /// name the client asked for); null keeps the upstream's.</param>
    public static void Write(ChatResponse response, IBufferWriter<byte> output, string? model = null)
    {
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        Write(response, writer, model);
        writer.Flush();
    }

    /// <summary>Writes the body as a new byte array.</summary>
    public static byte[] WriteToUtf8Bytes(ChatResponse response, string? model = null)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        Write(response, buffer, model);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the body with a caller-owned writer (not flushed).</summary>
    public static void Write(ChatResponse response, Utf8JsonWriter writer, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(writer);
        var own = OpenAIChatDialect.Owns(response.SourceDialect);

        writer.WriteStartObject();
        writer.WriteString("id"u8, response.Id);
        writer.WriteString("object"u8, "chat.completion"u8);
        writer.WriteNumber("created"u8, response.Created);
        writer.WriteString("model"u8, model ?? response.Model);
        writer.WriteStartArray("choices"u8);
        foreach (var choice in response.Choices)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index"u8, choice.Index);
            writer.WritePropertyName("message"u8);
            OpenAIChatMessageWriter.WriteAssistant(writer, choice.Message, isResponse: true, own);
            writer.WritePropertyName("logprobs"u8);
            if (choice.Logprobs is { } logprobs)
            {
                logprobs.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
            writer.WritePropertyName("finish_reason"u8);
            if (choice.FinishReason is { } reason)
            {
                writer.WriteStringValue(OpenAIChatFinishReasons.ToWire(reason));
            }
            else
            {
                writer.WriteNullValue();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (response.Usage is { } usage)
        {
            writer.WritePropertyName("usage"u8);
            OpenAIChatUsage.Write(writer, usage);
        }
        if (own)
        {
            WireWriting.WriteExtensions(writer, response.Extensions);
        }
        if (response.SystemFingerprint is not null)
        {
            writer.WriteString("system_fingerprint"u8, response.SystemFingerprint);
        }
        writer.WriteEndObject();
    }
}
