using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// The members of a <c>POST /v1/responses</c> body that stored responses depend on, read in one pass over the top
/// level without building a document (a relayed request is otherwise never parsed whole); <see cref="Input"/> is where
/// the <c>input</c> value lies in the body, copied only when the response is to be stored; <see cref="Background"/> is
/// <c>background: true</c> (see <see cref="ForegroundRequest"/>).
/// </summary>
internal readonly record struct StoredRequestFields(bool? Store, string? PreviousResponseId, Range? Input, bool Background = false)
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
            Range? input = null;
            var background = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueTextEquals("store"u8) ? Member.Store
                    : reader.ValueTextEquals("previous_response_id"u8) ? Member.PreviousResponseId
                    : reader.ValueTextEquals("input"u8) ? Member.Input
                    : reader.ValueTextEquals("background"u8) ? Member.Background
                    : Member.Other;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                switch (member)
                {
                    case Member.Store when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                        store = reader.GetBoolean();
                        break;
                    case Member.PreviousResponseId when reader.TokenType == JsonTokenType.String:
                        previous = reader.GetString();
                        break;
                    case Member.Background when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                        background = reader.GetBoolean();
                        break;
                    case Member.Input when reader.TokenType != JsonTokenType.Null:
                        reader.Skip();
                        // Over one contiguous span BytesConsumed is the offset just past the value's last token.
                        input = start..(int)reader.BytesConsumed;
                        break;
                }
                reader.Skip();
            }
            return new StoredRequestFields(store, previous, input, background);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private enum Member { Other, Store, PreviousResponseId, Input, Background }
}
