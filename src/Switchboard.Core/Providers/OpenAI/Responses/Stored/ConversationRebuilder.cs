using System.Text.Json;
using Switchboard.Http;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// What a <c>previous_response_id</c> means to an upstream that cannot hold a conversation: the request with the
/// conversation spelled out. Its <c>input</c> becomes every stored turn, oldest first (that turn's input items, then its
/// response's output items), followed by the request's own input. Earlier turns' <c>instructions</c> are not carried
/// over, as OpenAI does not carry them. <c>previous_response_id</c> stays only when no upstream the request may reach
/// speaks the Responses API (so it is echoed in the answer, as OpenAI does, and never sent to an upstream that does not
/// know the id); otherwise it is dropped.
/// </summary>
internal static class ConversationRebuilder
{
    /// <param name="body">The request (a JSON object).</param>
    /// <param name="chain">The stored turns it continues, newest first (<see cref="IResponseStore.FindChainAsync"/>).</param>
    /// <param name="keepPreviousId">Keep <c>previous_response_id</c> (for the answer's echo): no upstream would receive it.</param>
    /// <param name="inForeground">Leave <c>background</c> out (<see cref="ForegroundRequest"/>), in the same pass.</param>
    public static PooledBuffer Rebuild(ReadOnlyMemory<byte> body, IReadOnlyList<StoredResponse> chain, bool keepPreviousId = false,
        bool inForeground = false)
    {
        using var request = JsonDocument.Parse(body);
        var size = body.Length;
        foreach (var turn in chain) size += turn.InputItemsJson.Length + turn.ResponseJson.Length;
        var output = new PooledBuffer(size + 256);
        try
        {
            using var json = new Utf8JsonWriter(output);
            json.WriteStartObject();
            JsonElement? input = null;
            foreach (var member in request.RootElement.EnumerateObject())
            {
                if (member.NameEquals("input"u8)) input = member.Value;
                else if (inForeground && member.NameEquals("background"u8)) continue;
                else if (keepPreviousId || !member.NameEquals("previous_response_id"u8)) member.WriteTo(json);
            }
            json.WritePropertyName("input"u8);
            json.WriteStartArray();
            for (var i = chain.Count - 1; i >= 0; i--)
            {
                using var items = JsonDocument.Parse(chain[i].InputItemsJson);
                WriteElements(json, items.RootElement);
                using var response = JsonDocument.Parse(chain[i].ResponseJson);
                if (response.RootElement.TryGetProperty("output"u8, out var outputItems)) WriteElements(json, outputItems);
            }
            if (input is { } own) InputItems.WriteItems(json, own);
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    private static void WriteElements(Utf8JsonWriter json, JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array) return;
        foreach (var item in array.EnumerateArray()) item.WriteTo(json);
    }
}
