using System.Net.Http.Headers;

namespace Switchboard.Tests.Responses;

/// <summary>One server-sent event of a Responses stream: its <c>event:</c> name and its data.</summary>
public sealed record ResponsesEvent(string? Name, JsonElement Data)
{
    public string Type => Data.GetProperty("type").GetString()!;
}

/// <summary>What a Responses client sees of one answer: status, headers, the body, and the events when streamed.</summary>
public sealed record ResponsesAnswer(int Status, HttpResponseHeaders Headers, string Body, List<ResponsesEvent> Events)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    /// <summary>The response object: the body, or the one in the stream's last lifecycle event.</summary>
    public JsonElement Response => Events.Count == 0 ? Json : Events[^1].Data.GetProperty("response");

    /// <summary>The output item of <paramref name="type"/> (the only one).</summary>
    public JsonElement Item(string type) => Assert.Single(Response.GetProperty("output").EnumerateArray(), i => i.GetProperty("type").GetString() == type);

    /// <summary>The text of the message items.</summary>
    public string Text => string.Concat(Response.GetProperty("output").EnumerateArray()
        .Where(i => i.GetProperty("type").GetString() == "message")
        .SelectMany(i => i.GetProperty("content").EnumerateArray())
        .Select(c => c.GetProperty("text").GetString()));

    public IEnumerable<string> Types => Events.Select(e => e.Type);
}

/// <summary>Posts to <c>/v1/responses</c> and reads the answer as a client would, checking the stream's framing.</summary>
public static class ResponsesClient
{
    public static async Task<ResponsesAnswer> PostAsync(HttpClient http, string body, string path = "/v1/responses")
    {
        using var response = await http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var streamed = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        return new ResponsesAnswer((int)response.StatusCode, response.Headers, text, streamed ? Events(text) : []);
    }

    /// <summary>The events, each checked as OpenAI frames them: an <c>event:</c> name equal to the data's
    /// <c>type</c>, and <c>sequence_number</c> counting up from 0 with no gap.</summary>
    public static List<ResponsesEvent> Events(string body)
    {
        var events = new List<ResponsesEvent>();
        foreach (var block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var name = lines.FirstOrDefault(l => l.StartsWith("event:", StringComparison.Ordinal))?[6..].Trim();
            var data = string.Join("\n", lines.Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].TrimStart(' ')));
            if (data.Length == 0) continue;
            var json = JsonDocument.Parse(data).RootElement.Clone();
            var seen = new ResponsesEvent(name, json);
            Assert.True(name == seen.Type, $"event: {name} carries type {seen.Type}");
            Assert.True(json.TryGetProperty("sequence_number", out var sequence), $"{seen.Type} has no sequence_number");
            Assert.Equal(events.Count, sequence.GetInt32());
            events.Add(seen);
        }
        return events;
    }

    /// <summary>A finished stream: created and in_progress first, <paramref name="last"/> last, and nothing after it.</summary>
    public static void AssertLifecycle(ResponsesAnswer answer, string last)
    {
        var types = answer.Types.ToList();
        Assert.True(types.Count >= 3, string.Join(" ", types));
        Assert.Equal("response.created", types[0]);
        Assert.Equal("response.in_progress", types[1]);
        Assert.Equal(last, types[^1]);
        Assert.DoesNotContain("response.completed", types[..^1]);
        var id = answer.Events[0].Data.GetProperty("response").GetProperty("id").GetString();
        Assert.StartsWith("resp_", id, StringComparison.Ordinal);
        if (last != "error") Assert.Equal(id, answer.Response.GetProperty("id").GetString());
    }

    /// <summary>Each output item opened by output_item.added is closed by output_item.done at the same index,
    /// items in order, and each content part likewise.</summary>
    public static void AssertItemsNest(ResponsesAnswer answer)
    {
        var open = new Dictionary<int, string>();
        var next = 0;
        foreach (var e in answer.Events)
        {
            switch (e.Type)
            {
                case "response.output_item.added":
                    Assert.Equal(next++, e.Data.GetProperty("output_index").GetInt32());
                    open[e.Data.GetProperty("output_index").GetInt32()] = e.Data.GetProperty("item").GetProperty("type").GetString()!;
                    break;
                case "response.output_item.done":
                    Assert.True(open.Remove(e.Data.GetProperty("output_index").GetInt32()), "output_item.done without added");
                    break;
            }
        }
        Assert.Empty(open);
    }
}
