using System.Buffers;
using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>A request's <c>input</c> as items: an array as given; a string as one user message, as OpenAI lists it.</summary>
internal static class InputItems
{
    /// <summary>
    /// The items of <paramref name="input"/> (raw JSON, null when the request had none) as a JSON array: an array is
    /// its own text (it was read from a valid request body), a string becomes one user message item.
    /// </summary>
    public static string ToJsonArray(byte[]? input)
    {
        if (input is null || input.Length == 0) return "[]";
        if (input[0] == (byte)'[') return System.Text.Encoding.UTF8.GetString(input);
        var reader = new Utf8JsonReader(input);
        if (!reader.Read() || reader.TokenType != JsonTokenType.String) return "[]";
        var output = new ArrayBufferWriter<byte>(input.Length + 96);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartArray();
            WriteUserMessage(json, reader.GetString()!);
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Writes the items of <paramref name="input"/> into an array being written.</summary>
    public static void WriteItems(Utf8JsonWriter json, JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            WriteUserMessage(json, input.GetString()!);
            return;
        }
        if (input.ValueKind != JsonValueKind.Array) return;
        foreach (var item in input.EnumerateArray()) item.WriteTo(json);
    }

    private static void WriteUserMessage(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, ResponsesItemTypes.Message);
        json.WriteString("role"u8, "user"u8);
        json.WriteStartArray("content"u8);
        json.WriteStartObject();
        json.WriteString("type"u8, ResponsesItemTypes.InputText);
        json.WriteString("text"u8, text);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
