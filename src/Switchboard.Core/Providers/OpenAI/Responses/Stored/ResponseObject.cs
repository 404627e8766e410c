using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// A response object as the client was sent it: its <c>id</c> and its JSON, kept as bytes. Found with one reader pass
/// (which validates what it passes over); no document is built on the request path, the JSON is only copied.
/// </summary>
internal readonly record struct ResponseObject(string Id, ReadOnlyMemory<byte> Json)
{
    /// <summary>The object <paramref name="json"/> is, or null: not a JSON object, or without a string <c>id</c>.</summary>
    public static ResponseObject? Read(ReadOnlyMemory<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            string? id = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = id is null && reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId && reader.TokenType == JsonTokenType.String) id = reader.GetString();
                else reader.Skip();
            }
            // Past the closing brace only whitespace may follow (the reader throws on anything else).
            while (reader.Read()) { }
            return id is null ? null : new ResponseObject(id, json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The <c>response</c> member of a stream event (<paramref name="envelope"/>), or null.</summary>
    public static ResponseObject? ReadMember(ReadOnlyMemory<byte> envelope)
    {
        try
        {
            var reader = new Utf8JsonReader(envelope.Span, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            Range? response = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isResponse = reader.ValueTextEquals("response"u8);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                // Over one contiguous span BytesConsumed is the offset just past the value's last token.
                if (isResponse && envelope.Span[start] == (byte)'{') response = start..(int)reader.BytesConsumed;
            }
            while (reader.Read()) { }
            return response is { } range ? Read(envelope[range]) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
