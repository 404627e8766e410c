namespace Switchboard.Core.Tests.Providers.Anthropic;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>Known facts of each recorded Anthropic stream, checked on the canonical events and on the
/// rewritten client streams.</summary>
public sealed class RecordedAnthropicStreamFactsTests
{
    private static (List<StreamEvent> Events, AnthropicMessagesStreamReader Reader, List<List<StreamEvent>> Batches) Load(string fixture, AnthropicReadOptions? options = null)
    {
        var (batches, reader) = AnthropicSse.Read(AnthropicSse.Recorded(fixture), options);
        return (batches.SelectMany(b => b).ToList(), reader, batches);
    }

    private static string Text(List<StreamEvent> events) => string.Concat(events.OfType<TextDeltaEvent>().Select(e => e.Text));

    private static Usage SingleUsage(List<StreamEvent> events) => Assert.Single(events.OfType<UsageEvent>()).Usage;

    [SharedFixtureFact]
    public void Basic_stream_is_hello_there_with_its_identity_and_usage()
    {
        var (events, reader, _) = Load("messages-stream-basic.sse");
        var start = Assert.IsType<StreamStartEvent>(events[0]);
        Assert.Equal(("msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK", "claude-3-opus-latest"), (start.Id, start.Model));
        Assert.Equal("Hello there!", Text(events));
        Assert.Equal(3, events.OfType<TextDeltaEvent>().Count());
        Assert.Equal(new FinishReason(FinishReasonKind.Stop, "end_turn"), Assert.Single(events.OfType<FinishEvent>()).Reason);
        var usage = SingleUsage(events);
        Assert.Equal((11, 6, 17), (usage.PromptTokens, usage.CompletionTokens, usage.Total));
        Assert.Null(usage.CachedPromptTokens);
        Assert.True(reader.IsComplete);
        Assert.Equal("end_turn", reader.StopReason);
    }

    [SharedFixtureFact]
    public void Tool_use_stream_yields_get_weather_for_Paris_as_tool_call_0()
    {
        var (events, _, batches) = Load("messages-stream-tool_use.sse");
        Assert.Equal("I'll check the current weather in Paris for you.", Text(events));
        var call = Assert.Single(events.OfType<ToolCallStartEvent>());
        Assert.Equal(("toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather", 0, 0), (call.Id, call.Name, call.ToolIndex, call.ChoiceIndex));
        var fragments = events.OfType<ToolCallArgumentsDeltaEvent>().ToList();
        Assert.All(fragments, f => Assert.Equal(0, f.ToolIndex));
        Assert.Equal(4, fragments.Count);
        JsonSemantic.Equal("""{"location":"Paris"}""", string.Concat(fragments.Select(f => f.Fragment)));
        Assert.Equal(FinishReasonKind.ToolCalls, Assert.Single(events.OfType<FinishEvent>()).Reason.Kind);
        var usage = SingleUsage(events);
        Assert.Equal((377, 65, 0, 0), (usage.PromptTokens, usage.CompletionTokens, usage.CachedPromptTokens, usage.CacheCreationPromptTokens));

        var client = StreamTranscript.Of(AnthropicSse.WriteOpenAI(batches));
        var tool = Assert.Single(client.Choices[0].Tools).Value;
        Assert.Equal(("toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather", "function"), (tool.Id, tool.Name, tool.Type));
        JsonSemantic.Equal("""{"location":"Paris"}""", tool.Arguments);
        Assert.Equal("tool_calls", client.Choices[0].Finish);
    }

    [SharedFixtureFact]
    public void Thinking_stream_keeps_the_thinking_text_and_its_signature()
    {
        var (events, _, batches) = Load("messages-stream-thinking.sse");
        Assert.Equal("The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185",
            string.Concat(events.OfType<ThinkingDeltaEvent>().Select(e => e.Text)));
        var signature = Assert.Single(events.OfType<SignatureDeltaEvent>()).Signature;
        Assert.StartsWith("EvQBCkYICxgCKkAxhD4NUKFzudtZ6NzbZdEiBACIScTzqjPViM596iWLZIk4EFKYYBj3B6Ptl3b0", signature);
        Assert.EndsWith("4yzNgvi/EhT6Ca17BgB", signature);
        // The signature closes the thinking block, before the answer text begins.
        Assert.True(events.FindIndex(e => e is SignatureDeltaEvent) < events.FindIndex(e => e is TextDeltaEvent));
        Assert.Equal("925 ÷ 5 = 185", Text(events));
        var usage = SingleUsage(events);
        Assert.Equal((69, 53, 0), (usage.PromptTokens, usage.CompletionTokens, usage.CachedPromptTokens));

        var anthropic = AnthropicAccumulation.Of(AnthropicSse.WriteAnthropic(batches));
        var thinking = anthropic.Blocks.First();
        Assert.Equal("thinking", thinking["type"]!.GetValue<string>());
        Assert.Equal(GatewayThinking.Wrap(signature), thinking["signature"]!.GetValue<string>());

        var client = StreamTranscript.Of(AnthropicSse.WriteOpenAI(batches));
        Assert.Equal([signature], client.Choices[0].Signatures);
    }

    [SharedFixtureFact]
    public void Refusal_stream_is_a_content_filter_stop_with_no_text()
    {
        var (events, reader, batches) = Load("messages-stream-refusal.sse");
        Assert.Empty(events.OfType<TextDeltaEvent>());
        Assert.Equal(new FinishReason(FinishReasonKind.ContentFilter, "refusal"), Assert.Single(events.OfType<FinishEvent>()).Reason);
        Assert.Equal("refusal", reader.StopReason);

        var client = StreamTranscript.Of(AnthropicSse.WriteOpenAI(batches));
        Assert.Equal("content_filter", client.Choices[0].Finish);
        Assert.Equal("", client.Choices[0].Text.ToString());
        Assert.Equal("refusal", AnthropicAccumulation.Of(AnthropicSse.WriteAnthropic(batches)).StopReason);
    }

    [SharedFixtureFact]
    public void Incomplete_partial_json_is_passed_on_as_cut_and_finishes_by_length()
    {
        var (events, reader, batches) = Load("messages-stream-incomplete_partial_json.sse");
        var arguments = string.Concat(events.OfType<ToolCallArgumentsDeltaEvent>().Select(e => e.Fragment));
        Assert.StartsWith("{\"filename\": \"taxes.txt\", \"lines_of_text\": [\n", arguments);
        Assert.EndsWith("\n\"Filing taxes", arguments);
        Assert.Equal(new FinishReason(FinishReasonKind.Length, "max_tokens"), Assert.Single(events.OfType<FinishEvent>()).Reason);
        // The upstream never closed the tool block, yet the message itself ended properly.
        Assert.True(reader.IsComplete);
        var usage = SingleUsage(events);
        Assert.Equal((450, 124), (usage.PromptTokens, usage.CompletionTokens));

        var rewritten = AnthropicSse.WriteAnthropic(batches);
        RecordedAnthropicStreamGoldenTests.AssertMessagesGrammar(rewritten);
        Assert.Equal(arguments, AnthropicAccumulation.Of(rewritten).InputOf(1));

        var client = StreamTranscript.Of(AnthropicSse.WriteOpenAI(batches));
        Assert.Equal(arguments, Assert.Single(client.Choices[0].Tools).Value.Arguments);
        Assert.Equal("length", client.Choices[0].Finish);
    }

    [SharedFixtureFact]
    public void Compaction_block_is_handed_on_whole_and_only_to_Anthropic_clients()
    {
        var (events, _, batches) = Load("messages-stream-compaction.sse");
        var block = Assert.Single(events.OfType<ProviderBlockEvent>());
        Assert.Equal((AnthropicMessagesDialect.Name, "compaction"), (block.Dialect, block.Type));
        JsonSemantic.Equal(
            """{"type":"compaction","content":"Earlier conversation summarized.","encrypted_content":"EpwBCioIDxgCEAEYASJALd_opaque_compaction_payload"}""",
            block.Block.GetRawText());
        Assert.Equal("Hello there!", Text(events));

        var client = StreamTranscript.Of(AnthropicSse.WriteOpenAI(batches));
        Assert.Equal("Hello there!", client.Choices[0].Text.ToString());
    }

    [SharedFixtureFact]
    public void Fallback_block_is_kept_raw_before_the_answer()
    {
        var (events, _, batches) = Load("messages-stream-fallback.sse");
        var block = Assert.Single(events.OfType<ProviderBlockEvent>());
        Assert.Equal("fallback", block.Type);
        Assert.Equal("claude-sonnet-4-5", block.Block.GetProperty("to").GetProperty("model").GetString());
        Assert.True(events.IndexOf(block) < events.FindIndex(e => e is TextDeltaEvent));

        var rewritten = AnthropicAccumulation.Of(AnthropicSse.WriteAnthropic(batches));
        Assert.Equal("fallback", rewritten.Blocks.First()["type"]!.GetValue<string>());
    }

    [SharedFixtureFact]
    public void A_stream_cut_before_message_stop_is_not_complete_but_its_input_is_known()
    {
        var recorded = AnthropicSse.Recorded("messages-stream-tool_use.sse");
        var cut = recorded.TakeWhile(e => e.Name != "message_delta").ToList();
        var (batches, reader) = AnthropicSse.Read(cut);

        Assert.False(reader.IsComplete);
        Assert.Null(reader.StopReason);
        Assert.Empty(batches.SelectMany(b => b).OfType<FinishEvent>());
        Assert.Equal(377, reader.Usage!.PromptTokens);
        Assert.Equal(1, reader.Usage.CompletionTokens);
    }

    [SharedFixtureFact]
    public void Events_are_read_by_the_data_type_when_the_event_name_is_missing()
    {
        var recorded = AnthropicSse.Recorded("messages-stream-tool_use.sse");
        var (named, _) = AnthropicSse.Read(recorded);
        var (unnamed, reader) = AnthropicSse.Read(recorded.Select(e => e with { Name = "" }));
        Assert.True(reader.IsComplete);
        Assert.Equal(
            named.SelectMany(b => b).Where(e => e is not StreamStartEvent).Select(e => e.ToString()),
            unnamed.SelectMany(b => b).Where(e => e is not StreamStartEvent).Select(e => e.ToString()));
    }

    [SharedFixtureFact]
    public void Every_event_of_every_stream_reads_without_error_one_at_a_time()
    {
        foreach (var fixture in AnthropicSse.RecordedStreams().Select(row => (string)row[0]))
        {
            var reader = new AnthropicMessagesStreamReader();
            foreach (var e in AnthropicSse.Recorded(fixture))
            {
                var events = new List<StreamEvent>();
                Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(e.Name), Encoding.UTF8.GetBytes(e.Data), events, out var error), $"{fixture}: {error}");
            }
            Assert.True(reader.IsComplete, fixture);
        }
    }
}
