namespace Switchboard.Core.Tests.Providers.OpenAI;

public sealed class OpenAIUsageReaderTests
{
    [Fact]
    public void Reads_usage_with_cached_and_reasoning_tokens_kept_apart()
    {
        var result = OpenAIUsageReader.Read("""
            {"id":"x","choices":[{"index":0,"message":{"content":"{\"usage\":1}"}}],
             "usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150,
                      "prompt_tokens_details":{"cached_tokens":100,"audio_tokens":0},
                      "completion_tokens_details":{"reasoning_tokens":12}}}
            """u8);
        Assert.True(result.HasUsage);
        Assert.False(result.ChoicesEmpty);
        Assert.Equal(new Switchboard.Usage.TokenUsage(120, 30, 150, 100, 12), result.Usage);
    }

    [Fact]
    public void Null_usage_and_missing_usage_are_not_reported()
    {
        Assert.False(OpenAIUsageReader.Read("""{"choices":[],"usage":null}"""u8).HasUsage);
        Assert.False(OpenAIUsageReader.Read("""{"choices":[{"delta":{}}]}"""u8).HasUsage);
        Assert.False(OpenAIUsageReader.Read("not json"u8).HasUsage);
    }

    [Fact]
    public void Usage_in_a_chunk_that_still_has_choices_is_read_and_the_chunk_is_not_empty()
    {
        // vLLM and some others put usage on the last content chunk instead of a separate one.
        var result = OpenAIUsageReader.Read("""{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}}"""u8);
        Assert.True(result.HasUsage);
        Assert.False(result.ChoicesEmpty);
        Assert.Equal(7, result.Usage.TotalTokens);
    }

    /// <summary>Golden: over every recorded OpenAI stream, the usage found equals the recorded usage chunk's numbers.</summary>
    [SharedFixtureFact]
    public void Every_recorded_stream_yields_its_usage_from_exactly_the_usage_chunk()
    {
        var files = Directory.GetFiles(Path.Combine(SharedFixtures.Directory!, "openai"), "*.sse");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var events = File.ReadAllText(file).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(e => e.Trim()).Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => e[6..]).Where(d => d != "[DONE]").ToList();
            var withUsage = events.Select(e => (Json: e, Read: OpenAIUsageReader.Read(Encoding.UTF8.GetBytes(e)))).Where(x => x.Read.HasUsage).ToList();

            var single = Assert.Single(withUsage);
            Assert.True(single.Read.ChoicesEmpty, file);
            var recorded = JsonDocument.Parse(single.Json).RootElement.GetProperty("usage");
            Assert.Equal(recorded.GetProperty("prompt_tokens").GetInt64(), single.Read.Usage.PromptTokens);
            Assert.Equal(recorded.GetProperty("completion_tokens").GetInt64(), single.Read.Usage.CompletionTokens);
            Assert.Equal(recorded.GetProperty("total_tokens").GetInt64(), single.Read.Usage.TotalTokens);
        }
    }
}
