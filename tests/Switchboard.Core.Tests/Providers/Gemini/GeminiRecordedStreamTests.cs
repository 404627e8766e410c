using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Gemini;

/// <summary>
/// Golden tests over real Gemini traffic (shared/fixtures/gemini, read in place): each recorded stream
/// goes through <see cref="GeminiStreamReader"/> and the OpenAI stream writer, and the OpenAI client's
/// accumulation must hold what Gemini said; expectations are taken from the recording itself.
/// </summary>
public sealed class GeminiRecordedStreamTests
{
    private static List<string> Recorded(string name) =>
        GeminiPipeline.Chunks(File.ReadAllText(SharedFixtures.PathOf($"gemini/{name}")));

    /// <summary>Every part of every chunk, straight from the recording.</summary>
    private static List<JsonElement> RecordedParts(List<string> chunks) =>
        chunks.SelectMany(c => JsonDocument.Parse(c).RootElement.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts").EnumerateArray())
            .Select(p => p.Clone())
            .ToList();

    private static JsonElement LastUsage(List<string> chunks) =>
        JsonDocument.Parse(chunks[^1]).RootElement.GetProperty("usageMetadata").Clone();

    [SharedFixtureFact]
    public void Text_stream_with_thought_signature_accumulates_in_OpenAI_terms()
    {
        var chunks = Recorded("generate-stream-text-thinking.sse");
        var parts = RecordedParts(chunks);
        var expectedText = string.Concat(parts.Select(p => p.GetProperty("text").GetString()));
        var expectedSignature = parts.Single(p => p.TryGetProperty("thoughtSignature", out _)).GetProperty("thoughtSignature").GetString();
        var usage = LastUsage(chunks);

        var result = GeminiPipeline.Run(chunks);
        StreamPipeline.AssertOpenAIShape(result.Frames);
        var transcript = result.Transcript;
        var choice = Assert.Single(transcript.Choices).Value;

        Assert.Equal("There are **3** \"r\"s in strawberry.\n\nst**r**awbe**rr**y", expectedText);
        Assert.Equal(expectedText, choice.Text.ToString());
        Assert.Equal("", choice.Reasoning.ToString());
        Assert.Equal([expectedSignature!], choice.Signatures);
        Assert.Equal("stop", choice.Finish);
        Assert.Empty(choice.Tools);

        var prompt = usage.GetProperty("promptTokenCount").GetInt32();
        var candidates = usage.GetProperty("candidatesTokenCount").GetInt32();
        var thoughts = usage.GetProperty("thoughtsTokenCount").GetInt32();
        Assert.Equal(prompt, transcript.UsageNumber("prompt_tokens"));
        Assert.Equal(candidates + thoughts, transcript.UsageNumber("completion_tokens"));
        Assert.Equal(usage.GetProperty("totalTokenCount").GetInt32(), transcript.UsageNumber("total_tokens"));
        Assert.Equal(thoughts, transcript.UsageNumber("reasoning_tokens", "completion_tokens_details"));
        Assert.Equal(1, transcript.UsageFrames);

        var root = JsonDocument.Parse(chunks[0]).RootElement;
        var identity = Assert.Single(transcript.Identities);
        Assert.StartsWith($"{root.GetProperty("responseId").GetString()}|", identity);
        Assert.EndsWith($"|{root.GetProperty("modelVersion").GetString()}", identity);
    }

    [SharedFixtureFact]
    public void Tool_call_stream_becomes_one_OpenAI_tool_call_with_its_signature()
    {
        var chunks = Recorded("generate-stream-tool-call.sse");
        var call = RecordedParts(chunks).Single(p => p.TryGetProperty("functionCall", out _));
        var usage = LastUsage(chunks);

        var result = GeminiPipeline.Run(chunks);
        StreamPipeline.AssertOpenAIShape(result.Frames);
        var transcript = result.Transcript;
        var choice = Assert.Single(transcript.Choices).Value;

        var tool = Assert.Single(choice.Tools).Value;
        Assert.Equal(call.GetProperty("functionCall").GetProperty("name").GetString(), tool.Name);
        Assert.Equal("weather", tool.Name);
        JsonSemantic.Equal(call.GetProperty("functionCall").GetProperty("args").GetRawText(), tool.Arguments);
        Assert.Equal("""{"location":"San Francisco"}""", tool.Arguments);
        Assert.Equal(call.GetProperty("thoughtSignature").GetString(), tool.Signature);
        Assert.StartsWith("call_", tool.Id);
        Assert.Equal("function", tool.Type);
        Assert.Equal("", choice.Text.ToString());
        Assert.Equal("tool_calls", choice.Finish);

        Assert.Equal(usage.GetProperty("promptTokenCount").GetInt32(), transcript.UsageNumber("prompt_tokens"));
        Assert.Equal(
            usage.GetProperty("candidatesTokenCount").GetInt32() + usage.GetProperty("thoughtsTokenCount").GetInt32(),
            transcript.UsageNumber("completion_tokens"));
        Assert.Equal(usage.GetProperty("thoughtsTokenCount").GetInt32(), transcript.UsageNumber("reasoning_tokens", "completion_tokens_details"));
        Assert.Equal(usage.GetProperty("totalTokenCount").GetInt32(), transcript.UsageNumber("total_tokens"));
    }

    [SharedFixtureTheory]
    [InlineData("generate-stream-text-thinking.sse")]
    [InlineData("generate-stream-tool-call.sse")]
    public void Recorded_stream_keeps_the_canonical_event_order_and_completes_on_its_last_chunk(string name)
    {
        var chunks = Recorded(name);
        var result = GeminiPipeline.Run(chunks);
        var events = result.Events;

        Assert.IsType<StreamStartEvent>(events[0]);
        Assert.Single(events.OfType<StreamStartEvent>());
        var finish = Assert.Single(events.OfType<FinishEvent>());
        Assert.Same(finish, events.Last(e => e is ChoiceStreamEvent));
        Assert.IsType<UsageEvent>(events[^1]);
        Assert.Single(events.OfType<UsageEvent>());
        Assert.True(result.Reader.IsComplete);
        Assert.All(result.EventsPerChunk[..^1], batch => Assert.DoesNotContain(batch, e => e is FinishEvent or UsageEvent));

        // The same stream cut before its last chunk is not complete; Complete() still reports what was spent.
        var cut = new GeminiStreamReader();
        var cutEvents = new List<StreamEvent>();
        foreach (var chunk in chunks[..^1])
        {
            Assert.True(cut.TryRead(Encoding.UTF8.GetBytes(chunk), cutEvents, out _));
        }
        Assert.False(cut.IsComplete);
        Assert.DoesNotContain(cutEvents, e => e is UsageEvent);
        cut.Complete(cutEvents);
        Assert.IsType<UsageEvent>(cutEvents[^1]);
        cut.Complete(cutEvents);
        Assert.Single(cutEvents.OfType<UsageEvent>());
    }

    [SharedFixtureFact]
    public void Recorded_429_gives_the_retry_delay_of_its_RetryInfo()
    {
        var body = File.ReadAllBytes(SharedFixtures.PathOf("gemini/error-429-retry-info.json"));
        var info = GeminiErrorReader.Read(body);

        Assert.NotNull(info);
        Assert.Equal("RESOURCE_EXHAUSTED", info.Type);
        Assert.Equal("You exceeded your current quota, please check your plan.", info.Message);
        Assert.Equal(TimeSpan.FromSeconds(34.4), info.RetryAfter);
        Assert.Null(info.Param);
    }
}
