namespace Switchboard.Core.Tests.Providers.OpenAI.Streaming;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>Known facts of each recorded OpenAI stream, checked on the canonical events and on the
/// rewritten client stream.</summary>
public sealed class RecordedStreamFactsTests
{
    private static (List<StreamEvent> Events, StreamTranscript Client) Load(string fixture)
    {
        var chunks = Sse.Chunks(File.ReadAllText(SharedFixtures.PathOf($"openai/{fixture}")));
        var result = StreamPipeline.Run(chunks, new OpenAIChatStreamWriterOptions { IncludeUsage = true });
        return (result.Events.ToList(), StreamTranscript.Of(result.Frames));
    }

    private static Usage SingleUsage(List<StreamEvent> events) => Assert.Single(events.OfType<UsageEvent>()).Usage;

    private static void AssertUsage(List<StreamEvent> events, int prompt, int completion, int total)
    {
        var usage = SingleUsage(events);
        Assert.Equal(prompt, usage.PromptTokens);
        Assert.Equal(completion, usage.CompletionTokens);
        Assert.Equal(total, usage.TotalTokens);
        Assert.Equal(0, usage.ReasoningTokens);
        Assert.Null(usage.CachedPromptTokens);
        Assert.IsType<UsageEvent>(events[^1]);
    }

    [SharedFixtureFact]
    public void Every_stream_starts_with_its_identity_once()
    {
        var (events, _) = Load("chat-stream-text-a.sse");
        var start = Assert.IsType<StreamStartEvent>(events[0]);
        Assert.Single(events.OfType<StreamStartEvent>());
        Assert.Equal("chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL", start.Id);
        Assert.Equal("gpt-4o-2024-08-06", start.Model);
        Assert.Equal(1727346168, start.Created);
        Assert.Equal("fp_5050236cbd", start.SystemFingerprint);
    }

    [SharedFixtureFact]
    public void Tool_call_a_yields_the_GetWeatherArgs_call()
    {
        var (events, client) = Load("chat-stream-tool-call-a.sse");
        var start = Assert.Single(events.OfType<ToolCallStartEvent>());
        Assert.Equal(("call_c91SqDXlYFuETYv8mUHzz6pp", "GetWeatherArgs", 0, 0), (start.Id, start.Name, start.ChoiceIndex, start.ToolIndex));
        var arguments = string.Concat(events.OfType<ToolCallArgumentsDeltaEvent>().Select(e => e.Fragment));
        Assert.Equal("""{"city":"Edinburgh","country":"UK","units":"c"}""", arguments);
        Assert.Equal(FinishReasonKind.ToolCalls, Assert.Single(events.OfType<FinishEvent>()).Reason.Kind);
        AssertUsage(events, 76, 24, 100);

        var tool = Assert.Single(client.Choices[0].Tools).Value;
        Assert.Equal(("call_c91SqDXlYFuETYv8mUHzz6pp", "GetWeatherArgs", arguments), (tool.Id, tool.Name, tool.Arguments));
        Assert.Equal("tool_calls", client.Choices[0].Finish);
    }

    [SharedFixtureTheory]
    [InlineData("chat-stream-tool-call-b.sse", "call_CTf1nWJLqSeRgDqaCG27xZ74", """{"city":"San Francisco","state":"CA"}""", 48, 19, 67)]
    [InlineData("chat-stream-tool-call-c.sse", "call_4XzlGBLtUe9dy3GVNV4jhq7h", """{"city":"New York City"}""", 44, 16, 60)]
    public void Single_get_weather_calls(string fixture, string id, string arguments, int prompt, int completion, int total)
    {
        var (events, client) = Load(fixture);
        var start = Assert.Single(events.OfType<ToolCallStartEvent>());
        Assert.Equal((id, "get_weather"), (start.Id, start.Name));
        Assert.Equal(arguments, string.Concat(events.OfType<ToolCallArgumentsDeltaEvent>().Select(e => e.Fragment)));
        AssertUsage(events, prompt, completion, total);
        Assert.Equal(arguments, client.Choices[0].Tools[0].Arguments);
    }

    [SharedFixtureFact]
    public void Parallel_tool_calls_yield_two_calls_with_distinct_indexes()
    {
        var (events, client) = Load("chat-stream-parallel-tool-calls.sse");
        var starts = events.OfType<ToolCallStartEvent>().ToList();
        Assert.Equal(2, starts.Count);
        Assert.Equal([0, 1], starts.Select(s => s.ToolIndex));
        Assert.Equal(["GetWeatherArgs", "get_stock_price"], starts.Select(s => s.Name));
        Assert.Equal(["call_JMW1whyEaYG438VE1OIflxA2", "call_DNYTawLBoN8fj3KN6qU9N1Ou"], starts.Select(s => s.Id));

        string Arguments(int index) => string.Concat(events.OfType<ToolCallArgumentsDeltaEvent>().Where(e => e.ToolIndex == index).Select(e => e.Fragment));
        Assert.Equal("""{"city": "Edinburgh", "country": "GB", "units": "c"}""", Arguments(0));
        Assert.Equal("""{"ticker": "AAPL", "exchange": "NASDAQ"}""", Arguments(1));
        AssertUsage(events, 149, 60, 209);

        var tools = client.Choices[0].Tools;
        Assert.Equal([0, 1], tools.Keys);
        Assert.Equal(Arguments(1), tools[1].Arguments);
        Assert.Equal("tool_calls", client.Choices[0].Finish);
    }

    [SharedFixtureFact]
    public void Finish_length_ends_with_length()
    {
        var (events, client) = Load("chat-stream-finish-length.sse");
        var finish = Assert.Single(events.OfType<FinishEvent>());
        Assert.Equal(FinishReason.Length, finish.Reason);
        Assert.Equal("{\"", string.Concat(events.OfType<TextDeltaEvent>().Select(e => e.Text)));
        AssertUsage(events, 79, 1, 80);
        Assert.Equal("length", client.Choices[0].Finish);
    }

    [SharedFixtureFact]
    public void Refusal_is_refusal_not_text()
    {
        var (events, client) = Load("chat-stream-refusal.sse");
        Assert.Equal("I'm sorry, I can't assist with that request.", string.Concat(events.OfType<RefusalDeltaEvent>().Select(e => e.Refusal)));
        Assert.Empty(events.OfType<TextDeltaEvent>());
        AssertUsage(events, 79, 11, 90);
        Assert.Equal("", client.Choices[0].Text.ToString());
        Assert.Equal("I'm sorry, I can't assist with that request.", client.Choices[0].Refusal.ToString());
    }

    [SharedFixtureFact]
    public void Logprobs_of_a_refusal_travel_raw()
    {
        var (events, client) = Load("chat-stream-logprobs-a.sse");
        Assert.Equal("I'm very sorry, but I can't assist with that.", string.Concat(events.OfType<RefusalDeltaEvent>().Select(e => e.Refusal)));
        var tokens = events.OfType<LogprobsDeltaEvent>()
            .SelectMany(e => e.Logprobs.GetProperty("refusal").EnumerateArray())
            .Select(t => t.GetProperty("token").GetString()!)
            .ToList();
        Assert.Equal(11, tokens.Count);
        Assert.Equal("I'm", tokens[0]);
        Assert.Equal(tokens, client.Choices[0].LogprobTokens);
        AssertUsage(events, 79, 12, 91);
    }

    [SharedFixtureFact]
    public void Logprobs_of_text_travel_raw()
    {
        var (events, client) = Load("chat-stream-logprobs-b.sse");
        Assert.Equal("Foo!", string.Concat(events.OfType<TextDeltaEvent>().Select(e => e.Text)));
        Assert.Equal(["Foo", "!"], client.Choices[0].LogprobTokens);
        AssertUsage(events, 9, 2, 11);
    }

    [SharedFixtureTheory]
    [InlineData("chat-stream-text-a.sse", "I'm unable to provide real-time weather updates.", 14, 30, 44)]
    [InlineData("chat-stream-text-b.sse", """{"city":"San Francisco","temperature":61,"units":"f"}""", 79, 14, 93)]
    [InlineData("chat-stream-long-text.sse", "\n  {\n    \"location\": \"San Francisco, CA\",", 19, 177, 196)]
    public void Text_streams(string fixture, string textStart, int prompt, int completion, int total)
    {
        var (events, client) = Load(fixture);
        Assert.StartsWith(textStart, string.Concat(events.OfType<TextDeltaEvent>().Select(e => e.Text)), StringComparison.Ordinal);
        Assert.Equal(FinishReason.Stop, Assert.Single(events.OfType<FinishEvent>()).Reason);
        AssertUsage(events, prompt, completion, total);
        Assert.StartsWith(textStart, client.Choices[0].Text.ToString(), StringComparison.Ordinal);
    }

    [SharedFixtureFact]
    public void Three_choices_stay_apart()
    {
        var (events, client) = Load("chat-stream-text-c.sse");
        string Text(int choice) => string.Concat(events.OfType<TextDeltaEvent>().Where(e => e.ChoiceIndex == choice).Select(e => e.Text));
        Assert.Equal("""{"city":"San Francisco","temperature":65,"units":"f"}""", Text(0));
        Assert.Equal("""{"city":"San Francisco","temperature":61,"units":"f"}""", Text(1));
        Assert.Equal("""{"city":"San Francisco","temperature":59,"units":"f"}""", Text(2));
        Assert.Equal([0, 1, 2], events.OfType<FinishEvent>().Select(f => f.ChoiceIndex).Order());
        AssertUsage(events, 79, 42, 121);
        Assert.Equal([0, 1, 2], client.Choices.Keys);
        Assert.Equal(Text(2), client.Choices[2].Text.ToString());
    }
}
