namespace Switchboard.MockUpstream.Tests;

/// <summary>stream: true answers with the Responses API's named events, in its order, numbered from 0.</summary>
public sealed class ResponsesStreamingTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Path = "/v1/responses";
    private static readonly string TextBody = J("{'model':'gpt-4o','stream':true,'input':'one two three'}");
    private readonly MockHost _mock = fixture.Host;

    [Fact]
    public async Task Text_stream_has_the_full_event_sequence_with_increasing_sequence_numbers()
    {
        using var response = await _mock.PostAsync(Path, TextBody);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = ResponsesSse.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
        ], events.Select(e => e.Name));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));

        var deltas = string.Concat(events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        Assert.Equal("Echo: one two three", deltas);
        Assert.Equal(deltas, events.Single(e => e.Name == "response.output_text.done").Data.GetProperty("text").GetString());

        var created = events[0].Data.GetProperty("response");
        Assert.Equal("in_progress", created.GetProperty("status").GetString());
        Assert.Equal(0, created.GetProperty("output").GetArrayLength());
        var completed = events[^1].Data.GetProperty("response");
        Assert.Equal(created.GetProperty("id").GetString(), completed.GetProperty("id").GetString());
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal(deltas, ResponsesBehaviourTests.OutputText(completed));
        Assert.Equal(4, completed.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        string itemId = events[2].Data.GetProperty("item").GetProperty("id").GetString()!;
        Assert.All(events.Where(e => e.Name.Contains("text") || e.Name.Contains("content_part")), e => Assert.Equal(itemId, e.Data.GetProperty("item_id").GetString()));
    }

    [Fact]
    public async Task Function_call_stream_sends_argument_deltas_then_done()
    {
        using var response = await _mock.PostAsync(Path, J("{'model':'gpt-4o','stream':true,'input':'weather?','tools':[{'type':'function','name':'get_weather','parameters':{'type':'object','properties':{'city':{'type':'string'}}}}]}"));
        var events = ResponsesSse.Parse(await response.Content.ReadAsStringAsync());
        var names = events.Select(e => e.Name).Distinct().ToList();
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.function_call_arguments.delta",
            "response.function_call_arguments.done", "response.output_item.done", "response.completed"], names);
        string args = string.Concat(events.Where(e => e.Name == "response.function_call_arguments.delta").Select(e => e.Data.GetProperty("delta").GetString()));
        Assert.Equal(args, events.Single(e => e.Name == "response.function_call_arguments.done").Data.GetProperty("arguments").GetString());
        var added = events.Single(e => e.Name == "response.output_item.added").Data.GetProperty("item");
        Assert.Equal("", added.GetProperty("arguments").GetString());
        var done = events.Single(e => e.Name == "response.output_item.done").Data.GetProperty("item");
        Assert.Equal(args, done.GetProperty("arguments").GetString());
        Assert.Equal(added.GetProperty("call_id").GetString(), done.GetProperty("call_id").GetString());
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
    }

    [Fact]
    public async Task Max_output_tokens_ends_the_stream_with_response_incomplete()
    {
        using var response = await _mock.PostAsync("/_knobs/words=30" + Path, J("{'model':'gpt-4o','stream':true,'input':'hi','max_output_tokens':16}"));
        var events = ResponsesSse.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(16, events.Count(e => e.Name == "response.output_text.delta"));
        Assert.Equal("response.incomplete", events[^1].Name);
        Assert.Equal("incomplete", events[^1].Data.GetProperty("response").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Truncate_after_cuts_the_stream_before_response_completed()
    {
        using var response = await _mock.PostAsync("/_knobs/truncate_after=5" + Path, TextBody);
        var events = ResponsesSse.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(5, events.Count);
        Assert.DoesNotContain(events, e => e.Name == "response.completed");
    }

    [Fact]
    public async Task Error_after_ends_the_stream_with_the_recorded_error_event()
    {
        using var response = await _mock.PostAsync("/_knobs/error_after=3" + Path, TextBody);
        var events = ResponsesSse.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(4, events.Count);
        Assert.Equal("error", events[^1].Name);
        var error = events[^1].Data.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("The server had an error while processing your request. Sorry about that!", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Garbage_after_sends_a_named_event_that_is_not_json()
    {
        using var response = await _mock.PostAsync("/_knobs/garbage_after=2" + Path, TextBody);
        string body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("event: response.output_text.delta\ndata: {not json\n\n", body);
    }

    [Fact]
    public async Task Reset_after_aborts_the_connection()
    {
        using var response = await _mock.Client.SendAsync(Post("/_knobs/reset_after=2" + Path, TextBody), HttpCompletionOption.ResponseHeadersRead);
        await Wire.AssertConnectionResetAsync(response);
    }

    [Fact]
    public async Task Stream_is_counted_as_completed_in_stats()
    {
        await using var mock = await MockHost.StartAsync();
        using (var response = await mock.PostAsync(Path, TextBody))
        {
            await response.Content.ReadAsStringAsync();
        }
        var stats = await mock.WaitForStatAsync("streams_completed", 1);
        Assert.Equal(1, stats.GetProperty("streams_started").GetInt64());
        Assert.Equal(1, stats.GetProperty("streams_completed").GetInt64());
    }
}

/// <summary>Reads a Responses SSE body: each frame an <c>event:</c> line and a <c>data:</c> line.</summary>
internal static class ResponsesSse
{
    public sealed record Event(string Name, string Json)
    {
        public JsonElement Data => JsonDocument.Parse(Json).RootElement.Clone();
    }

    public static List<Event> Parse(string body)
    {
        var events = new List<Event>();
        foreach (var frame in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            events.Add(new Event(lines[0]["event: ".Length..], lines[1]["data: ".Length..]));
        }
        return events;
    }
}
