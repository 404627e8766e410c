using System.Text.Json;
using Switchboard.Http;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// A request with <c>background: true</c>, run in the foreground. In the background an upstream answers at once with a
/// queued response and is polled for the rest, which the gateway never sees: no usage to count or bill, and a stored
/// copy that stays queued. Without the member the answer comes when the response is complete (streamed or not), with
/// its tokens counted, and is stored for a later <c>GET</c>; translated upstreams never knew the member anyway.
/// </summary>
internal static class ForegroundRequest
{
    /// <summary>The request (a JSON object) without its top-level <c>background</c> member.</summary>
    public static PooledBuffer Of(ReadOnlySpan<byte> body)
    {
        // A rare request: read whole rather than spliced byte by byte.
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        using var request = JsonDocument.ParseValue(ref reader);
        var output = new PooledBuffer(body.Length);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        foreach (var member in request.RootElement.EnumerateObject())
        {
            if (!member.NameEquals("background"u8)) member.WriteTo(json);
        }
        json.WriteEndObject();
        json.Flush();
        return output;
    }
}
