using System.Text.RegularExpressions;

namespace Switchboard.MockUpstream.Tests;

/// <summary>fixture=NAME replays shared/fixtures/openai-responses/NAME.chunks.txt (one event's JSON a line) as named SSE events.</summary>
public sealed partial class ResponsesReplayTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private static readonly string StreamBody = J("{'model':'gpt-4o','stream':true,'input':'hi'}");
    private readonly MockHost _mock = fixture.Host;

    private static string Dir => System.IO.Path.Combine(FixtureLocator.Find(null)!, "openai-responses");

    public static TheoryData<string> Recordings()
    {
        var data = new TheoryData<string>();
        string? root = FixtureLocator.Find(null);
        if (root is null)
        {
            data.Add("(none)");
            return data;
        }
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(root, "openai-responses"), "*.chunks.txt").Order(StringComparer.Ordinal))
        {
            data.Add(System.IO.Path.GetFileName(file)[..^".chunks.txt".Length]);
        }
        return data;
    }

    /// <summary>The recording's turns: its non-empty lines, a new turn at each response.created.</summary>
    private static List<List<string>> Turns(string name)
    {
        var turns = new List<List<string>>();
        foreach (var line in File.ReadAllLines(System.IO.Path.Combine(Dir, name + ".chunks.txt")).Where(l => l.Length > 0))
        {
            if (turns.Count == 0 || TypeOf(line) == "response.created")
            {
                turns.Add([]);
            }
            turns[^1].Add(line);
        }
        return turns;
    }

    private static string TypeOf(string line) => TypeMember().Match(line).Groups[1].Value;

    [GeneratedRegex("\"type\":\\s*\"([^\"]+)\"")]
    private static partial Regex TypeMember();

    [FixtureTheory]
    [MemberData(nameof(Recordings))]
    public async Task Stream_replay_sends_each_recorded_line_as_a_named_event(string name)
    {
        string expected = string.Concat(Turns(name)[0].Select(l => $"event: {TypeOf(l)}\ndata: {l}\n\n"));
        using var response = await _mock.PostAsync($"/_knobs/fixture={name}/v1/responses", StreamBody);
        Assert.Equal((200, "text/event-stream"), ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [FixtureFact]
    public async Task Later_turns_of_a_recorded_tool_conversation_are_picked_by_the_tool_outputs_in_the_input()
    {
        const string name = "openai-reasoning-encrypted-content.1";
        var turns = Turns(name);
        Assert.Equal(4, turns.Count);
        string body = J("{'model':'gpt-4o','stream':true,'input':[{'role':'user','content':'calc'}," +
            "{'type':'function_call','call_id':'a','name':'calculator','arguments':'{}'},{'type':'function_call_output','call_id':'a','output':'1'}," +
            "{'type':'function_call','call_id':'b','name':'calculator','arguments':'{}'},{'type':'function_call_output','call_id':'b','output':'2'}]}");
        using var response = await _mock.PostAsync($"/_knobs/fixture={name}/v1/responses", body);
        var events = ResponsesSse.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(turns[2].Select(TypeOf), events.Select(e => e.Name));
        Assert.Equal(turns[2], events.Select(e => e.Json));
    }

    [FixtureFact]
    public async Task A_turn_beyond_the_recording_is_a_500_that_says_so()
    {
        string body = J("{'model':'gpt-4o','stream':true,'input':[{'type':'function_call','call_id':'a','name':'f','arguments':'{}'},{'type':'function_call_output','call_id':'a','output':'1'}]}");
        using var response = await _mock.PostAsync("/_knobs/fixture=openai-custom-tool.1/v1/responses", body);
        await Wire.AssertErrorAsync(response, 500, "Mock upstream: fixture 'openai-custom-tool.1' records 1 turn(s), the request is turn 2", null, null, prefix: true);
    }

    [FixtureFact]
    public async Task Non_stream_replay_answers_the_final_response_object()
    {
        var r = await _mock.PostJsonAsync("/_knobs/fixture=openai-custom-tool.1/v1/responses", J("{'model':'gpt-4o','input':'hi'}"));
        var last = JsonDocument.Parse(Turns("openai-custom-tool.1")[0][^1]).RootElement.GetProperty("response");
        Assert.Equal(last.GetProperty("id").GetString(), r.GetProperty("id").GetString());
        Assert.Equal("custom_tool_call", r.GetProperty("output")[0].GetProperty("type").GetString());
        Assert.Equal("SELECT * FROM users WHERE age > 25", r.GetProperty("output")[0].GetProperty("input").GetString());
    }

    [FixtureFact]
    public async Task Recorded_error_stream_replays_error_then_response_failed()
    {
        using var response = await _mock.PostAsync("/_knobs/fixture=openai-error.1/v1/responses", StreamBody);
        var events = ResponsesSse.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["response.created", "response.in_progress", "error", "response.failed"], events.Select(e => e.Name));
    }

    [FixtureFact]
    public async Task Stream_knobs_apply_to_replays()
    {
        using var response = await _mock.PostAsync("/_knobs/fixture=openai-web-search-tool.1;truncate_after=4/v1/responses", StreamBody);
        var events = ResponsesSse.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Turns("openai-web-search-tool.1")[0].Take(4), events.Select(e => e.Json));
    }

    [FixtureFact]
    public async Task Replayed_requests_are_still_validated()
    {
        using var response = await _mock.PostAsync("/_knobs/fixture=openai-custom-tool.1/v1/responses", J("{'model':'gpt-4o','input':'hi','foo':1}"));
        await Wire.AssertErrorAsync(response, 400, "Unknown parameter: 'foo'.", "foo", "unknown_parameter");
    }
}
