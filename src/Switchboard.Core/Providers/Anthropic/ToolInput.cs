using Switchboard.Translation;
using System.Text;
using System.Text.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// A tool call's arguments as Anthropic's <c>input</c>, which must be a JSON object. Empty arguments (what
/// OpenAI clients send for tools without parameters) are <c>{}</c>; anything else that is not a JSON object
/// (invalid or truncated JSON, an array, a string) is refused with a <see cref="ValidationError"/> naming
/// the call, rather than guessed at: the model would otherwise see a call it never made.
/// </summary>
internal static class ToolInput
{
    public static void Write(Utf8JsonWriter writer, string arguments, string path)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(arguments);
        if (!IsObject(bytes))
        {
            throw Fail(path, "must be a JSON object to be sent to Anthropic as tool_use input");
        }
        writer.WriteRawValue(bytes, skipInputValidation: true);
    }

    /// <summary>Whether the text is one complete JSON object.</summary>
    public static bool IsObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
