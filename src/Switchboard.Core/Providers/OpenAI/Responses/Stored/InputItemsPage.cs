using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// One page of <c>GET /v1/responses/{id}/input_items</c>, in OpenAI's list shape: <c>object: "list"</c>, <c>data</c>,
/// <c>first_id</c>, <c>last_id</c>, <c>has_more</c>. Items are stored as the client sent them; one without an <c>id</c>
/// is listed with one derived from the response's id and its position, so it is the same on every call (and can be
/// an <c>after</c> cursor).
/// </summary>
public static class InputItemsPage
{
    /// <param name="response">The stored response.</param>
    /// <param name="limit">Items on the page (1 to 100).</param>
    /// <param name="ascending">Oldest first; else newest first (OpenAI's default).</param>
    /// <param name="after">The id of the item the page starts after; null: from the start.</param>
    /// <param name="output">Where the page's JSON goes.</param>
    public static void Write(StoredResponse response, int limit, bool ascending, string? after, IBufferWriter<byte> output)
    {
        using var items = JsonDocument.Parse(response.InputItemsJson);
        var listed = new List<(string Id, JsonElement Item)>();
        var position = 0;
        foreach (var item in items.RootElement.EnumerateArray())
        {
            listed.Add((IdOf(response.Id, item, position++), item));
        }
        if (!ascending) listed.Reverse();
        var start = 0;
        if (after is not null)
        {
            start = listed.FindIndex(entry => entry.Id == after) + 1;
            // An unknown cursor lists nothing, as a cursor past the end does.
            if (start == 0) start = listed.Count;
        }
        var count = Math.Min(limit, listed.Count - start);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("object"u8, "list"u8);
        json.WriteStartArray("data"u8);
        for (var i = start; i < start + count; i++)
        {
            var (id, item) = listed[i];
            json.WriteStartObject();
            json.WriteString("id"u8, id);
            foreach (var member in item.EnumerateObject())
            {
                if (!member.NameEquals("id"u8)) member.WriteTo(json);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (count > 0)
        {
            json.WriteString("first_id"u8, listed[start].Id);
            json.WriteString("last_id"u8, listed[start + count - 1].Id);
        }
        else
        {
            json.WriteNull("first_id"u8);
            json.WriteNull("last_id"u8);
        }
        json.WriteBoolean("has_more"u8, start + count < listed.Count);
        json.WriteEndObject();
    }

    private static string IdOf(string responseId, JsonElement item, int position)
    {
        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonValueKind.String)
        {
            return id.GetString()!;
        }
        var isMessage = item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type"u8, out var type)
            || type.ValueEquals(ResponsesItemTypes.Message);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{responseId}/{position}"));
        return (isMessage ? "msg_" : "item_") + Convert.ToHexStringLower(digest.AsSpan(0, 16));
    }
}
