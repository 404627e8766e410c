namespace Switchboard.Core.Tests.Providers.OpenAI.Streaming;

/// <summary>The golden checks on self-written streams (Fixtures/streams), which cover what the recordings
/// do not: reasoning_content, thinking signatures, Gemini thought signatures on tool calls, cached and
/// reasoning token counts, and an error after the stream began.</summary>
public sealed class LocalStreamGoldenTests
{
    public static IEnumerable<object[]> StreamFixtures() => LocalFixtures.Files("streams", "*.sse");

    [Theory]
    [MemberData(nameof(StreamFixtures))]
    public void Rewritten_stream_accumulates_to_the_same_result(string fixture)
    {
        var chunks = Sse.Chunks(LocalFixtures.Text(fixture));
        var result = StreamPipeline.Run(chunks, new OpenAIChatStreamWriterOptions { IncludeUsage = true });
        Assert.Equal(StreamTranscript.Of(chunks).Describe(), StreamTranscript.Of(result.Frames).Describe());
    }

    [Theory]
    [MemberData(nameof(StreamFixtures))]
    public void Rewritten_stream_matches_frame_for_frame(string fixture)
    {
        var chunks = Sse.Chunks(LocalFixtures.Text(fixture));
        var result = StreamPipeline.Run(chunks, new OpenAIChatStreamWriterOptions { IncludeUsage = true });
        Assert.Equal(
            chunks.Select(c => JsonSemantic.Canonical(c, emptyDeltaTextIsAbsent: true)),
            result.Frames.Select(f => JsonSemantic.Canonical(f, emptyDeltaTextIsAbsent: true)));
        StreamPipeline.AssertOpenAIShape(result.Frames);
    }

    [Fact]
    public void Reasoning_stream_facts()
    {
        var chunks = Sse.Chunks(LocalFixtures.Text("streams/reasoning-tool-calls.sse"));
        var events = StreamPipeline.ReadEvents(chunks).SelectMany(e => e).ToList();

        Assert.Equal("The user wants the weather in Oslo.", string.Concat(events.OfType<ThinkingDeltaEvent>().Select(e => e.Text)));
        Assert.Equal("sig-abc", Assert.Single(events.OfType<SignatureDeltaEvent>()).Signature);
        Assert.Equal("Let me check.", string.Concat(events.OfType<TextDeltaEvent>().Select(e => e.Text)));
        var starts = events.OfType<ToolCallStartEvent>().ToList();
        Assert.Equal([("call_x", "get_weather", "gsig-1"), ("call_y", "get_time", null)], starts.Select(s => (s.Id, s.Name, s.Signature)));
        Assert.Equal("""{"city":"Oslo"}""", string.Concat(events.OfType<ToolCallArgumentsDeltaEvent>().Where(e => e.ToolIndex == 0).Select(e => e.Fragment)));
        Assert.Equal("{}", Assert.Single(events.OfType<ToolCallArgumentsDeltaEvent>(), e => e.ToolIndex == 1).Fragment);

        var usage = Assert.Single(events.OfType<UsageEvent>()).Usage;
        Assert.Equal((300, 90, 256, 60), (usage.PromptTokens, usage.CompletionTokens, usage.CachedPromptTokens, usage.ReasoningTokens));
    }

    [Fact]
    public void Error_after_start_becomes_an_error_event_and_frame()
    {
        var chunks = Sse.Chunks(LocalFixtures.Text("streams/error-mid-stream.sse"));
        var result = StreamPipeline.Run(chunks, new OpenAIChatStreamWriterOptions());

        var error = Assert.IsType<StreamErrorEvent>(result.Events.Last());
        Assert.Equal(("The server had an error while processing your request.", "server_error"), (error.Message, error.Type));
        Assert.Empty(result.Events.OfType<FinishEvent>());
        Assert.StartsWith("{\"error\":", result.Frames[^1], StringComparison.Ordinal);
    }
}
