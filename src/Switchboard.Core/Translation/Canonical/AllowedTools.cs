using System.Text.Json;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// A tool choice limited to some functions, kept in OpenAI's <c>allowed_tools</c> form (the form the canonical model
/// keeps raw and every writer reads): Responses' <c>allowed_tools</c>, Gemini's <c>allowedFunctionNames</c>.
/// </summary>
public static class AllowedTools
{
    /// <summary><paramref name="mode"/>: <c>auto</c> or <c>required</c>.</summary>
    public static ToolChoice Choice(IReadOnlyCollection<string> names, string mode)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 + (names.Count * 48));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "allowed_tools"u8);
            writer.WriteStartObject("allowed_tools"u8);
            writer.WriteString("mode"u8, mode);
            writer.WriteStartArray("tools"u8);
            foreach (var name in names)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, name);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return new ToolChoice(ToolChoiceMode.Other, Raw: JsonElement.Parse(buffer.WrittenSpan));
    }
}
