using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>A canonical answer as Gemini's <c>GenerateContentResponse</c> (for clients of <c>:generateContent</c>).</summary>
public static class GeminiResponseWriter
{
    public static void Write(ChatResponse response, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("candidates"u8);
        foreach (var choice in response.Choices)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("content"u8);
            writer.WriteStartArray("parts"u8);
            GeminiAnswerWriter.WriteParts(writer, choice.Message.Parts);
            writer.WriteEndArray();
            writer.WriteString("role"u8, "model"u8);
            writer.WriteEndObject();
            if (choice.FinishReason is { } finish) writer.WriteString("finishReason"u8, GeminiAnswerWriter.FinishReason(finish));
            writer.WriteNumber("index"u8, choice.Index);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (response.Usage is { } usage) GeminiAnswerWriter.WriteUsage(writer, usage);
        if (response.Model.Length > 0) writer.WriteString("modelVersion"u8, response.Model);
        writer.WriteString("responseId"u8, response.Id);
        writer.WriteEndObject();
        writer.Flush();
    }
}
