using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream.Responses;

/// <summary>
/// Recorded Responses streams, <c>{fixtures}/openai-responses/{name}.chunks.txt</c>: one event's JSON per line, read
/// in place. A file may hold several streams, one per turn of a recorded tool conversation (each starts with
/// <c>response.created</c>); the request's turn, counted by the tool outputs in its input, picks which one.
/// Each line goes out as <c>event: {type}</c> + <c>data: {line}</c>, byte for byte.
/// </summary>
internal static class ResponsesFixtures
{
    public const string Folder = "openai-responses";

    public static ApiError? TryLoad(MockState state, string name, int turn, out List<byte[]> lines)
    {
        lines = [];
        var error = FixtureReplayer.TryLoad(state, Folder, name, ".chunks.txt", out var bytes);
        if (error is not null)
        {
            return error;
        }
        var streams = SplitStreams(bytes);
        if (turn >= streams.Count)
        {
            return new ApiError(500,
                $"Mock upstream: fixture '{name}' records {streams.Count} turn(s), the request is turn {turn + 1} (it has {turn} tool output(s)).",
                "server_error");
        }
        lines = streams[turn];
        return null;
    }

    /// <summary>The file's non-empty lines, grouped into streams at each <c>response.created</c>.</summary>
    public static List<List<byte[]>> SplitStreams(byte[] bytes)
    {
        var streams = new List<List<byte[]>>();
        foreach (var raw in Encoding.UTF8.GetString(bytes).Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            byte[] data = Encoding.UTF8.GetBytes(line);
            if (streams.Count == 0 || EventType(data) == "response.created")
            {
                streams.Add([]);
            }
            streams[^1].Add(data);
        }
        return streams;
    }

    /// <summary>
    /// The event's <c>type</c>, its first member in every recording. Read with a non-final reader so that a line whose
    /// closing brace is missing (parallel-tool-call-wrapper.1 has two) still names its event.
    /// </summary>
    public static string? EventType(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, isFinalBlock: false, default);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    bool isType = reader.ValueTextEquals("type"u8);
                    if (!reader.Read())
                    {
                        return null;
                    }
                    if (isType && reader.TokenType == JsonTokenType.String)
                    {
                        return reader.GetString();
                    }
                    if (!reader.TrySkip())
                    {
                        return null;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    public static async Task StreamAsync(SseStream sse, List<byte[]> lines)
    {
        foreach (var line in lines)
        {
            if (!await sse.BeforeEventAsync())
            {
                return;
            }
            byte[] frame = Encoding.UTF8.GetBytes($"event: {EventType(line)}\ndata: {Encoding.UTF8.GetString(line)}\n\n");
            if (!await sse.WriteRawEventAsync(frame))
            {
                return;
            }
        }
        sse.Finish();
    }

    /// <summary>A non-streamed request gets the response object of the stream's final event (completed, incomplete or failed).</summary>
    public static Task WriteResponseAsync(ApiRequest api, List<byte[]> lines)
    {
        JsonElement response;
        try
        {
            using var doc = JsonDocument.Parse(lines[^1]);
            response = doc.RootElement.GetProperty("response").Clone();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException)
        {
            return HttpHelpers.WriteErrorAsync(api.Http, new ApiError(500,
                $"Mock upstream: the last event of this recording is not a response event with valid JSON ({e.Message}).", "server_error"));
        }
        HttpHelpers.AddOpenAIHeaders(api.Http);
        return HttpHelpers.WriteJsonAsync(api.Http, 200, response, static (w, r) => r.WriteTo(w));
    }
}
