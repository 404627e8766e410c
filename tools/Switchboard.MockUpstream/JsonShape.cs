using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.MockUpstream;

/// <summary>Small JSON helpers shared by the validators and writers.</summary>
internal static class JsonShape
{
    /// <summary>
    /// Writer options for every answer: relaxed escaping so non-ASCII text goes out as UTF-8 like the real API
    /// (the default encoder would turn it into \uXXXX escapes).
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>True for a JSON number written without fraction or exponent (OpenAI tells integers from decimals that way).</summary>
    public static bool IsInteger(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Number)
        {
            return false;
        }
        string raw = e.GetRawText();
        return raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0;
    }

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value))
        {
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Present and not JSON null: OpenAI treats an explicit null like an omitted optional parameter.</summary>
    public static bool TryGetNonNull(JsonElement obj, string name, out JsonElement value) =>
        TryGet(obj, name, out value) && value.ValueKind != JsonValueKind.Null;

    public static string? GetString(JsonElement obj, string name) =>
        TryGet(obj, name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Writes a string member, or JSON null when there is no value (the APIs write such members as null).</summary>
    public static void WriteNullable(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
