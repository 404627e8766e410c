using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Gemini;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>Self-written Gemini streams (Fixtures/gemini/streams) and single chunks through
/// <see cref="GeminiStreamReader"/>, and on to what an OpenAI client accumulates.</summary>
public sealed class GeminiStreamReaderTests
{
    private static List<string> Local(string name) => GeminiPipeline.Chunks(LocalFixtures.Text($"gemini/streams/{name}"));

    private static List<StreamEvent> ReadOne(GeminiStreamReader reader, string chunk)
    {
        var events = new List<StreamEvent>();
        Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(chunk), events, out var error), error?.ToString());
        return events;
    }

    [Fact]
    public void Two_function_calls_in_separate_chunks_become_tool_calls_0_and_1()
    {
        var result = GeminiPipeline.Run(Local("two-function-calls.sse"));
        var events = result.Events;

        var starts = events.OfType<ToolCallStartEvent>().ToList();
        Assert.Equal([0, 1], starts.Select(s => s.ToolIndex));
        Assert.Equal(["get_weather", "get_time"], starts.Select(s => s.Name));
        Assert.Equal(["SIG_FIRST_CALL", null], starts.Select(s => s.Signature));
        Assert.All(starts, s => Assert.Matches("^call_[0-9a-f]{24}$", s.Id));
        Assert.Equal(
            ["""{"city":"Paris"}""", """{"zone":"Europe/Paris","format":"24h"}"""],
            events.OfType<ToolCallArgumentsDeltaEvent>().Select(d => d.Fragment));
        Assert.Equal(new FinishReason(FinishReasonKind.ToolCalls, "STOP"), Assert.Single(events.OfType<FinishEvent>()).Reason);
        Assert.Equal(
            new Usage { PromptTokens = 50, CompletionTokens = 36, TotalTokens = 86, ReasoningTokens = 20 },
            Assert.Single(events.OfType<UsageEvent>()).Usage);
        Assert.True(result.Reader.IsComplete);

        StreamPipeline.AssertOpenAIShape(result.Frames);
        var choice = Assert.Single(result.Transcript.Choices).Value;
        Assert.Equal("**Planning**\n\nTwo cities, two calls.", choice.Reasoning.ToString());
        Assert.Equal(["get_weather", "get_time"], choice.Tools.Values.Select(t => t.Name));
        Assert.Equal("""{"zone":"Europe/Paris","format":"24h"}""", choice.Tools[1].Arguments);
        Assert.Equal("SIG_FIRST_CALL", choice.Tools[0].Signature);
        Assert.Equal("tool_calls", choice.Finish);
        Assert.Equal(36, result.Transcript.UsageNumber("completion_tokens"));
    }

    [Fact]
    public void Thoughts_then_signed_text_then_max_tokens()
    {
        var result = GeminiPipeline.Run(Local("thoughts-then-text.sse"));
        var events = result.Events;

        // The signature closes the thinking block before the text it rode on.
        var signature = events.FindIndex(e => e is SignatureDeltaEvent);
        Assert.True(signature > events.FindLastIndex(e => e is ThinkingDeltaEvent));
        Assert.True(signature < events.FindIndex(e => e is TextDeltaEvent));

        var choice = Assert.Single(result.Transcript.Choices).Value;
        Assert.Equal("Thinking about the answer.", choice.Reasoning.ToString());
        Assert.Equal(["SIG_ON_TEXT"], choice.Signatures);
        Assert.Equal("It is 42.", choice.Text.ToString());
        Assert.Equal("length", choice.Finish);
        Assert.Equal(2, result.Transcript.UsageNumber("cached_tokens", "prompt_tokens_details"));
        Assert.Equal(24, result.Transcript.UsageNumber("completion_tokens"));
        Assert.Equal(1, result.Transcript.UsageFrames);
        StreamPipeline.AssertOpenAIShape(result.Frames);
    }

    [Fact]
    public void Usage_is_emitted_once_at_the_finish_and_again_only_if_it_changes()
    {
        var reader = new GeminiStreamReader();
        var first = ReadOne(reader, """{"candidates":[{"content":{"parts":[{"text":"Hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4}}""");
        var same = ReadOne(reader, """{"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4}}""");
        var changed = ReadOne(reader, """{"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5}}""");

        Assert.IsType<UsageEvent>(first[^1]);
        Assert.Empty(same);
        Assert.Equal(2, Assert.IsType<UsageEvent>(Assert.Single(changed)).Usage.CompletionTokens);
        Assert.Equal(2, reader.Usage!.CompletionTokens);
    }

    [Fact]
    public void Blocked_prompt_in_a_stream_is_a_refusal_and_a_finish()
    {
        var reader = new GeminiStreamReader();
        var events = ReadOne(reader, """{"promptFeedback":{"blockReason":"SAFETY","blockReasonMessage":"Blocked for safety."},"usageMetadata":{"promptTokenCount":5,"totalTokenCount":5},"modelVersion":"gemini-2.5-flash","responseId":"r1"}""");

        Assert.Equal(new StreamStartEvent("r1", "gemini-2.5-flash", ((StreamStartEvent)events[0]).Created), events[0]);
        Assert.Equal(new RefusalDeltaEvent(0, "Blocked for safety."), events[1]);
        Assert.Equal(new FinishEvent(0, new FinishReason(FinishReasonKind.ContentFilter, "SAFETY")), events[2]);
        Assert.IsType<UsageEvent>(events[3]);
        Assert.True(reader.IsComplete);
    }

    [Fact]
    public void Error_chunk_becomes_a_stream_error()
    {
        var reader = new GeminiStreamReader();
        ReadOne(reader, """{"candidates":[{"content":{"parts":[{"text":"Par"}]}}]}""");
        var events = ReadOne(reader, """{"error":{"code":429,"message":"Resource has been exhausted.","status":"RESOURCE_EXHAUSTED"}}""");

        var error = Assert.IsType<StreamErrorEvent>(Assert.Single(events));
        Assert.Equal("Resource has been exhausted.", error.Message);
        Assert.Equal("rate_limit_error", error.Type);
        Assert.Equal("RESOURCE_EXHAUSTED", error.Code);
        Assert.False(reader.IsComplete);
    }

    [Fact]
    public void Candidates_finish_independently_and_the_stream_completes_with_the_last()
    {
        var reader = new GeminiStreamReader();
        var first = ReadOne(reader, """{"candidates":[{"content":{"parts":[{"text":"A"}]},"index":0},{"content":{"parts":[{"text":"B"}]},"index":1,"finishReason":"STOP"}]}""");
        Assert.False(reader.IsComplete);
        var second = ReadOne(reader, """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"f"}}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":2,"totalTokenCount":3}}""");

        Assert.Equal(new FinishEvent(1, new FinishReason(FinishReasonKind.Stop, "STOP")), first.OfType<FinishEvent>().Single());
        Assert.Equal(new FinishEvent(0, new FinishReason(FinishReasonKind.ToolCalls, "STOP")), second.OfType<FinishEvent>().Single());
        Assert.Equal("{}", second.OfType<ToolCallArgumentsDeltaEvent>().Single().Fragment);
        Assert.True(reader.IsComplete);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":1}]}}]}")]
    [InlineData("{\"candidates\":")]
    public void Malformed_chunk_is_an_error_and_adds_no_events(string chunk)
    {
        var reader = new GeminiStreamReader();
        var events = new List<StreamEvent> { new TextDeltaEvent(0, "earlier") };
        Assert.False(reader.TryRead(Encoding.UTF8.GetBytes(chunk), events, out var error));
        Assert.NotNull(error);
        Assert.Single(events);
    }
}
