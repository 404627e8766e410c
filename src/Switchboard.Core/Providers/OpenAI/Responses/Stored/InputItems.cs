using System.Buffers;
using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>A request's <c>input</c> as items: an array as given; a string as one user message, as OpenAI lists it.</summary>
internal static class InputItems
{
    /// <summary>The items of <paramref name="input"/> (raw JSON, null when the request had none) as a JSON array.</summary>
    public static string ToJsonArray(byte[]? input)
    {
        if (input is null) return "[]";
        using var document = JsonDocument.Parse(input);
        var output = new ArrayBufferWriter<byte>(input.Length + 96);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartArray();
            WriteItems(json, document.RootElement);
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Writes the items of <paramref name="input"/> into an array being written.</summary>
    public static void WriteItems(Utf8JsonWriter json, JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            json.WriteStartObject();
            json.WriteString("type"u8, ResponsesItemTypes.Message);
            json.WriteString("role"u8, "user"u8);
            json.WriteStartArray("content"u8);
            json.WriteStartObject();
            json.WriteString("type"u8, ResponsesItemTypes.InputText);
            json.WriteString("text"u8, input.GetString());
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            return;
        }
        if (input.ValueKind != JsonValueKind.Array) return;
        foreach (var item in input.EnumerateArray()) item.WriteTo(json);
    }
}
