namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>
/// Golden tests over the real Anthropic streams (shared/fixtures/anthropic/*.sse): each is read into
/// canonical events and written out (a) as an Anthropic stream, which must accumulate to the same message,
/// and (b) as an OpenAI stream, which must accumulate to the same answer in OpenAI's terms.
/// </summary>
public sealed class RecordedAnthropicStreamGoldenTests
{
    [SharedFixtureTheory]
    [MemberData(nameof(AnthropicSse.RecordedStreams), MemberType = typeof(AnthropicSse))]
    public void Rewritten_Anthropic_stream_accumulates_to_the_same_message(string fixture)
    {
        var recorded = AnthropicSse.Recorded(fixture);
        var (batches, reader) = AnthropicSse.Read(recorded);
        var rewritten = AnthropicSse.WriteAnthropic(batches);

        Assert.True(reader.IsComplete);
        // The writer serves other providers' streams: every signature it writes is the gateway's, around the provider's own.
        Assert.Equal(AnthropicAccumulation.Of(recorded).Describe(),
            AnthropicAccumulation.Of(rewritten).Describe().Replace(GatewayThinking.Prefix, "", StringComparison.Ordinal));
    }

    [SharedFixtureTheory]
    [MemberData(nameof(AnthropicSse.RecordedStreams), MemberType = typeof(AnthropicSse))]
    public void Rewritten_Anthropic_stream_keeps_the_event_grammar(string fixture)
    {
        var (batches, _) = AnthropicSse.Read(AnthropicSse.Recorded(fixture));
        AssertMessagesGrammar(AnthropicSse.WriteAnthropic(batches));
    }

    [SharedFixtureTheory]
    [MemberData(nameof(AnthropicSse.RecordedStreams), MemberType = typeof(AnthropicSse))]
    public void Rewritten_OpenAI_stream_accumulates_to_the_same_answer(string fixture)
    {
        var recorded = AnthropicSse.Recorded(fixture);
        var expected = AnthropicAccumulation.Of(recorded);
        var (batches, _) = AnthropicSse.Read(recorded);
        var frames = AnthropicSse.WriteOpenAI(batches);
        StreamPipeline.AssertOpenAIShape(frames);
        var client = StreamTranscript.Of(frames);

        var choice = Assert.Single(client.Choices).Value;
        Assert.Equal(Concat(expected, "text", "text"), choice.Text.ToString());
        Assert.Equal(Concat(expected, "thinking", "thinking"), choice.Reasoning.ToString());
        Assert.Equal(Signatures(expected), choice.Signatures);
        Assert.Equal(OpenAIFinish(expected.StopReason), choice.Finish);

        var tools = expected.Blocks.Select((block, i) => (block, i)).Where(b => b.block["type"]!.GetValue<string>() == "tool_use").ToList();
        Assert.Equal(tools.Count, choice.Tools.Count);
        for (var k = 0; k < tools.Count; k++)
        {
            var (block, position) = tools[k];
            var tool = choice.Tools[k];
            Assert.Equal(block["id"]!.GetValue<string>(), tool.Id);
            Assert.Equal(block["name"]!.GetValue<string>(), tool.Name);
            // Recorded block indexes are 0, 1, ... so a block's position is its index.
            var input = expected.InputOf(position) ?? "";
            AssertSameArguments(input, tool.Arguments);
        }

        var usage = expected.Usage;
        int? Count(string name) => usage[name]?.GetValue<int>();
        Assert.Equal(Count("input_tokens")!.Value + (Count("cache_read_input_tokens") ?? 0) + (Count("cache_creation_input_tokens") ?? 0), client.UsageNumber("prompt_tokens"));
        Assert.Equal(Count("output_tokens"), client.UsageNumber("completion_tokens"));
        Assert.Equal(Count("cache_read_input_tokens"), client.UsageNumber("cached_tokens", "prompt_tokens_details"));
        Assert.Equal(1, client.UsageFrames);
    }

    [SharedFixtureTheory]
    [MemberData(nameof(AnthropicSse.RecordedStreams), MemberType = typeof(AnthropicSse))]
    public void Canonical_events_keep_the_stream_ordering_rules(string fixture)
    {
        var (batches, _) = AnthropicSse.Read(AnthropicSse.Recorded(fixture));
        var events = batches.SelectMany(b => b).ToList();

        Assert.IsType<StreamStartEvent>(events[0]);
        Assert.Single(events.OfType<StreamStartEvent>());
        var finish = events.FindIndex(e => e is FinishEvent);
        Assert.True(finish > 0);
        Assert.DoesNotContain(events.Skip(finish + 1), e => e is ChoiceStreamEvent);
        Assert.IsType<UsageEvent>(Assert.Single(events, e => e is UsageEvent));
        Assert.IsType<UsageEvent>(events[^1]);
        foreach (var args in events.OfType<ToolCallArgumentsDeltaEvent>())
        {
            var start = events.FindIndex(e => e is ToolCallStartEvent s && s.ToolIndex == args.ToolIndex);
            Assert.True(start >= 0 && start < events.IndexOf(args), "a tool call's start precedes its arguments");
        }
        Assert.Equal(
            Enumerable.Range(0, events.OfType<ToolCallStartEvent>().Count()),
            events.OfType<ToolCallStartEvent>().Select(s => s.ToolIndex));
    }

    /// <summary>The order an Anthropic SDK requires: message_start first; each block started before its
    /// deltas and stopped once; indexes 0, 1, ... in order; message_delta then message_stop last.</summary>
    internal static void AssertMessagesGrammar(List<SseEvent> frames)
    {
        Assert.Equal("message_start", frames[0].Name);
        Assert.Equal("message_stop", frames[^1].Name);
        Assert.Equal("message_delta", frames[^2].Name);
        var started = new List<int>();
        var stopped = new HashSet<int>();
        foreach (var frame in frames.Skip(1).SkipLast(2))
        {
            using var document = JsonDocument.Parse(frame.Data);
            var index = document.RootElement.TryGetProperty("index", out var i) ? i.GetInt32() : -1;
            switch (frame.Name)
            {
                case "content_block_start":
                    Assert.Equal(started.Count, index);
                    Assert.True(started.Count == stopped.Count, "a block starts only after the previous one stopped");
                    started.Add(index);
                    break;
                case "content_block_delta":
                    Assert.Contains(index, started);
                    Assert.DoesNotContain(index, stopped);
                    break;
                case "content_block_stop":
                    Assert.Contains(index, started);
                    Assert.True(stopped.Add(index), $"block {index} stopped twice");
                    break;
                default:
                    Assert.Fail($"unexpected {frame.Name} inside the message");
                    break;
            }
        }
        Assert.Equal(started.Count, stopped.Count);
    }

    private static string Concat(AnthropicAccumulation accumulation, string type, string member)
    {
        var text = new StringBuilder();
        foreach (var block in accumulation.Blocks)
        {
            if (block["type"]!.GetValue<string>() == type)
            {
                text.Append(block[member]!.GetValue<string>());
            }
        }
        return text.ToString();
    }

    private static List<string> Signatures(AnthropicAccumulation accumulation) =>
        accumulation.Blocks
            .Where(b => b["type"]!.GetValue<string>() == "thinking" && b["signature"]!.GetValue<string>().Length > 0)
            .Select(b => b["signature"]!.GetValue<string>())
            .ToList();

    private static string? OpenAIFinish(string? stopReason) => stopReason switch
    {
        "end_turn" or "stop_sequence" => "stop",
        "max_tokens" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => stopReason,
    };

    private static void AssertSameArguments(string expected, string actual)
    {
        try
        {
            JsonSemantic.Equal(expected, actual);
        }
        catch (JsonException)
        {
            // Cut-off input (finish by max_tokens): passed through as the text it is.
            Assert.Equal(expected, actual);
        }
    }
}
