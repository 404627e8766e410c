using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// The members of a <c>POST /v1/responses</c> body that stored responses depend on, read in one pass over the top
/// level without building a document (a relayed request is otherwise never parsed whole).
/// </summary>
internal readonly record struct StoredRequestFields(bool? Store, string? PreviousResponseId, byte[]? Input)
{
    /// <summary>Reads the members; null when the body is not a JSON object (the dialect's reader then says why).</summary>
    public static StoredRequestFields? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            bool? store = null;
            string? previous = null;
            byte[]? input = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStore = reader.ValueTextEquals("store"u8);
                var isPrevious = reader.ValueTextEquals("previous_response_id"u8);
                var isInput = reader.ValueTextEquals("input"u8);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                if (isStore && reader.TokenType is JsonTokenType.True or JsonTokenType.False) store = reader.GetBoolean();
                else if (isPrevious && reader.TokenType == JsonTokenType.String) previous = reader.GetString();
                reader.Skip();
                // Over one contiguous span BytesConsumed is the offset just past the value's last token.
                if (isInput && reader.TokenType != JsonTokenType.Null) input = body[start..(int)reader.BytesConsumed].ToArray();
            }
            return new StoredRequestFields(store, previous, input);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
