using System.Text.Json;

namespace Switchboard.Providers;

/// <summary>What an upstream's JSON answer (a whole body or one stream event's data) turned out to be.</summary>
public enum WireJsonKind
{
    /// <summary>Not well-formed JSON, or not an object: never relayed as a success.</summary>
    Invalid,
    /// <summary>A well-formed JSON object: what every chat, completion and embedding answer and stream event is.</summary>
    Valid,
    /// <summary>A well-formed object with a non-null top-level <c>error</c> (OpenAI, Anthropic and Gemini error shapes alike).</summary>
    Error,
}

/// <summary>
/// Checks upstream JSON without parsing it into anything: a <see cref="Utf8JsonReader"/> walks the tokens (validating
/// them, allocating nothing) and only the top-level property names are looked at. The passthrough relays call it on
/// every answer and stream event, so a garbled answer is caught before it reaches the client, and an error is noticed
/// (to be scrubbed) without a second scan.
/// </summary>
public static class WireJson
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    public static WireJsonKind Check(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return WireJsonKind.Invalid;
            var error = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isError = reader.ValueTextEquals("error"u8);
                if (!reader.Read()) return WireJsonKind.Invalid;
                if (isError && reader.TokenType != JsonTokenType.Null) error = true;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            }
            // The reader is at the root's end; anything after it but whitespace makes the next Read throw.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return WireJsonKind.Invalid;
            return error ? WireJsonKind.Error : WireJsonKind.Valid;
        }
        catch (JsonException)
        {
            return WireJsonKind.Invalid;
        }
    }
}
