namespace Switchboard.Tests.Support;

/// <summary>Reads an SSE response the way a client does: events as they arrive, with their arrival order.</summary>
public static class Sse
{
    /// <summary>The <c>data:</c> payloads of every event in the body, in order.</summary>
    public static List<string> DataEvents(string body)
    {
        var events = new List<string>();
        foreach (var block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var data = string.Join("\n", block.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal))
                .Select(l => l[5..].TrimStart(' ')));
            if (data.Length > 0) events.Add(data);
        }
        return events;
    }

    public static List<JsonElement> JsonChunks(string body) =>
        [.. DataEvents(body).Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement.Clone())];

    /// <summary>
    /// Sends a streaming request and reads it as it arrives: the first line with when it came, then the rest with when
    /// the stream ended (both measured from the send).
    /// </summary>
    public static async Task<TimedStream> ReadTimedAsync(HttpClient http, HttpRequestMessage request)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        var firstAt = clock.Elapsed;
        var rest = await reader.ReadToEndAsync();
        return new TimedStream(response.StatusCode, first, firstAt, rest, clock.Elapsed);
    }
}

/// <summary>A stream as <see cref="Sse.ReadTimedAsync"/> read it.</summary>
public sealed record TimedStream(HttpStatusCode Status, string? First, TimeSpan FirstAt, string Rest, TimeSpan End);
