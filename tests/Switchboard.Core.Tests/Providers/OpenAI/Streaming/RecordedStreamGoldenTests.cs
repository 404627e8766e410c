namespace Switchboard.Core.Tests.Providers.OpenAI.Streaming;

/// <summary>
/// Golden tests over real OpenAI streams (shared/fixtures/openai/*.sse): each is read into canonical
/// events and written back out, and must come out as OpenAI sent it.
/// </summary>
public sealed class RecordedStreamGoldenTests
{
    [SharedFixtureTheory]
    [MemberData(nameof(SharedFixtures.OpenAIStreams), MemberType = typeof(SharedFixtures))]
    public void Rewritten_stream_accumulates_to_the_same_result(string fixture)
    {
        var chunks = Sse.Chunks(File.ReadAllText(SharedFixtures.PathOf($"openai/{fixture}")));
        var result = StreamPipeline.Run(chunks, new OpenAIChatStreamWriterOptions { IncludeUsage = true });

        var expected = StreamTranscript.Of(chunks);
        var actual = StreamTranscript.Of(result.Frames);
        Assert.Equal(expected.Describe(), actual.Describe());
        Assert.Equal(expected.Identities, actual.Identities);
    }

    [SharedFixtureTheory]
    [MemberData(nameof(SharedFixtures.OpenAIStreams), MemberType = typeof(SharedFixtures))]
    public void Rewritten_stream_matches_the_recording_frame_for_frame(string fixture)
    {
        var chunks = Sse.Chunks(File.ReadAllText(SharedFixtures.PathOf($"openai/{fixture}")));
        var result = StreamPipeline.Run(chunks, new OpenAIChatStreamWriterOptions { IncludeUsage = true });

        // Only difference allowed: "" vs null vs absent for a delta's text, which add nothing.
        Assert.Equal(
            chunks.Select(c => JsonSemantic.Canonical(c, emptyDeltaTextIsAbsent: true)),
            result.Frames.Select(f => JsonSemantic.Canonical(f, emptyDeltaTextIsAbsent: true)));
    }

    [SharedFixtureTheory]
    [MemberData(nameof(SharedFixtures.OpenAIStreams), MemberType = typeof(SharedFixtures))]
    public void Rewritten_stream_is_byte_identical_but_for_a_bare_role_frame(string fixture)
    {
        var chunks = Sse.Chunks(File.ReadAllText(SharedFixtures.PathOf($"openai/{fixture}")));
        var result = StreamPipeline.Run(chunks, new OpenAIChatStreamWriterOptions { IncludeUsage = true });

        Assert.Equal(chunks.Count, result.Frames.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            // A role frame with nothing else cannot tell whether text or tool calls follow; OpenAI then
            // says content null or "", the writer always "". Every other frame is reproduced exactly.
            if (chunks[i].Contains("\"delta\":{\"role\":\"assistant\",\"content\":null}", StringComparison.Ordinal))
            {
                continue;
            }
            Assert.Equal(chunks[i], result.Frames[i]);
        }
    }

    [SharedFixtureTheory]
    [MemberData(nameof(SharedFixtures.OpenAIStreams), MemberType = typeof(SharedFixtures))]
    public void Rewritten_stream_keeps_the_OpenAI_stream_contract(string fixture)
    {
        var chunks = Sse.Chunks(File.ReadAllText(SharedFixtures.PathOf($"openai/{fixture}")));
        StreamPipeline.AssertOpenAIShape(chunks);

        var result = StreamPipeline.Run(chunks, new OpenAIChatStreamWriterOptions { IncludeUsage = true });
        StreamPipeline.AssertOpenAIShape(result.Frames);
    }

    [SharedFixtureTheory]
    [MemberData(nameof(SharedFixtures.OpenAIStreams), MemberType = typeof(SharedFixtures))]
    public void Usage_frame_is_dropped_when_the_client_did_not_ask(string fixture)
    {
        var chunks = Sse.Chunks(File.ReadAllText(SharedFixtures.PathOf($"openai/{fixture}")));
        var result = StreamPipeline.Run(chunks, new OpenAIChatStreamWriterOptions { IncludeUsage = false });

        var expected = StreamTranscript.Of(chunks);
        var actual = StreamTranscript.Of(result.Frames);
        Assert.Equal(1, expected.UsageFrames);
        Assert.Equal(0, actual.UsageFrames);
        Assert.Equal(chunks.Count - 1, result.Frames.Count);
    }
}
