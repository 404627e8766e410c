namespace Switchboard.MockUpstream.Tests;

public sealed class FixtureReplayTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private static readonly string StreamBody = J("{'model':'gpt-4o','stream':true,'messages':[{'role':'user','content':'hi'}]}");
    private static readonly string PlainBody = J("{'model':'gpt-4o','messages':[{'role':'user','content':'hi'}]}");
    private readonly MockHost _mock = fixture.Host;

    private static string OpenAIDir => Path.Combine(FixtureLocator.Find(null)!, "openai");

    public static TheoryData<string> Fixtures() => Wire.RecordedStreams("openai");

    [FixtureTheory]
    [MemberData(nameof(Fixtures))]
    public async Task Stream_replay_reproduces_the_recording_byte_for_byte(string name)
    {
        using var response = await _mock.PostAsync($"/_knobs/fixture={name}/v1/chat/completions", StreamBody);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        byte[] expected = await File.ReadAllBytesAsync(Path.Combine(OpenAIDir, name + ".sse"));
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [FixtureTheory]
    [MemberData(nameof(Fixtures))]
    public async Task Non_stream_replay_folds_the_recording_into_one_completion(string name)
    {
        var c = await _mock.PostJsonAsync($"/_knobs/fixture={name}/v1/chat/completions", PlainBody);
        var chunks = Wire.Chunks(Wire.DataEvents(await File.ReadAllTextAsync(Path.Combine(OpenAIDir, name + ".sse"))));
        Assert.Equal("chat.completion", c.GetProperty("object").GetString());
        Assert.Equal(chunks[0].GetProperty("id").GetString(), c.GetProperty("id").GetString());

        var choiceIndexes = chunks.SelectMany(ch => ch.GetProperty("choices").EnumerateArray()).Select(x => x.GetProperty("index").GetInt32()).Distinct().Order().ToList();
        Assert.Equal(choiceIndexes, c.GetProperty("choices").EnumerateArray().Select(x => x.GetProperty("index").GetInt32()));
        foreach (var choice in c.GetProperty("choices").EnumerateArray())
        {
            int index = choice.GetProperty("index").GetInt32();
            var deltas = chunks.SelectMany(ch => ch.GetProperty("choices").EnumerateArray())
                .Where(x => x.GetProperty("index").GetInt32() == index)
                .Select(x => x.GetProperty("delta"))
                .ToList();
            string? expectedContent = Concat(deltas, "content");
            Assert.Equal(expectedContent, choice.GetProperty("message").GetProperty("content").GetString());
            Assert.Equal(Concat(deltas, "refusal"), choice.GetProperty("message").GetProperty("refusal").GetString());
            Assert.NotEqual(JsonValueKind.Null, choice.GetProperty("finish_reason").ValueKind);
        }
        var usage = chunks[^1].GetProperty("usage");
        Assert.Equal(usage.GetProperty("total_tokens").GetInt32(), c.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [FixtureFact]
    public async Task Non_stream_replay_assembles_parallel_tool_calls()
    {
        var c = await _mock.PostJsonAsync("/_knobs/fixture=chat-stream-parallel-tool-calls/v1/chat/completions", PlainBody);
        var choice = c.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var calls = choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray().ToList();
        Assert.Equal(["GetWeatherArgs", "get_stock_price"], calls.Select(x => x.GetProperty("function").GetProperty("name").GetString()));
        Assert.All(calls, x => JsonDocument.Parse(x.GetProperty("function").GetProperty("arguments").GetString()!).Dispose());
    }

    [FixtureFact]
    public async Task Non_stream_replay_keeps_logprobs()
    {
        var c = await _mock.PostJsonAsync("/_knobs/fixture=chat-stream-logprobs-b/v1/chat/completions", PlainBody);
        var content = c.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content");
        Assert.Equal(["Foo", "!"], content.EnumerateArray().Select(x => x.GetProperty("token").GetString()));
    }

    [FixtureFact]
    public async Task Replay_honours_truncate_after()
    {
        using var response = await _mock.PostAsync("/_knobs/fixture=chat-stream-text-a;truncate_after=2/v1/chat/completions", StreamBody);
        byte[] expected = await File.ReadAllBytesAsync(Path.Combine(OpenAIDir, "chat-stream-text-a.sse"));
        string text = Encoding.UTF8.GetString(expected);
        int second = text.IndexOf("\n\n", text.IndexOf("\n\n", StringComparison.Ordinal) + 2, StringComparison.Ordinal) + 2;
        Assert.Equal(text[..second], await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Fixture_names_cannot_escape_the_folder()
    {
        using var response = await _mock.PostAsync("/_knobs/fixture=..%2Fsecret/v1/chat/completions", StreamBody);
        await Wire.AssertErrorAsync(response, 400, "Mock upstream: invalid fixture name '../secret'.", null, null);
    }

    private static string? Concat(List<JsonElement> deltas, string name)
    {
        StringBuilder? sb = null;
        foreach (var d in deltas)
        {
            if (d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
            {
                (sb ??= new()).Append(v.GetString());
            }
        }
        return sb?.ToString();
    }
}
