using System.Buffers;

namespace Switchboard.Core.Tests.Providers.Anthropic;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Canonical events from other providers → <see cref="AnthropicMessagesStreamWriter"/>: what an Anthropic
/// client (Claude Code, the SDKs) gets when an OpenAI-type upstream answers <c>/v1/messages</c>.
/// </summary>
public sealed class AnthropicStreamWriterTests
{
    private static List<SseEvent> Write(params List<StreamEvent>[] batches) => AnthropicSse.WriteAnthropic(batches);

    private static readonly StreamStartEvent Start = new("chatcmpl-1", "gpt-4o", 1);

    [SharedFixtureTheory]
    [MemberData(nameof(SharedFixtures.OpenAIStreams), MemberType = typeof(SharedFixtures))]
    public void Recorded_OpenAI_streams_become_Anthropic_streams_with_the_same_answer(string fixture)
    {
        var chunks = Sse.Chunks(File.ReadAllText(SharedFixtures.PathOf($"openai/{fixture}")));
        var frames = AnthropicSse.WriteAnthropic(StreamPipeline.ReadEvents(chunks));
        RecordedAnthropicStreamGoldenTests.AssertMessagesGrammar(frames);

        var openai = StreamTranscript.Of(chunks);
        var choice = openai.Choices[0];
        var message = AnthropicAccumulation.Of(frames);
        Assert.StartsWith("msg_chatcmpl-", message.Id);
        var text = string.Concat(message.Blocks.Where(b => (string)b["type"]! == "text").Select(b => (string)b["text"]!));
        Assert.Equal(choice.Text.ToString() + choice.Refusal, text);
        var tools = message.Blocks.Select((b, i) => (b, i)).Where(x => (string)x.b["type"]! == "tool_use").ToList();
        Assert.Equal(choice.Tools.Count, tools.Count);
        for (var k = 0; k < tools.Count; k++)
        {
            Assert.Equal(choice.Tools[k].Id, (string)tools[k].b["id"]!);
            Assert.Equal(choice.Tools[k].Name, (string)tools[k].b["name"]!);
            JsonSemantic.Equal(choice.Tools[k].Arguments, message.InputOf(tools[k].i)!);
        }
        var expectedStop = choice.Finish switch
        {
            "length" => "max_tokens",
            "tool_calls" => "tool_use",
            "content_filter" => "refusal",
            _ => "end_turn",
        };
        Assert.Equal(expectedStop, message.StopReason);
        Assert.Equal(openai.UsageNumber("prompt_tokens") - (openai.UsageNumber("cached_tokens", "prompt_tokens_details") ?? 0), (int)message.Usage["input_tokens"]!);
        Assert.Equal(openai.UsageNumber("completion_tokens"), (int)message.Usage["output_tokens"]!);
    }

    [Fact]
    public void Local_reasoning_stream_becomes_thinking_text_and_two_tool_uses()
    {
        var chunks = Sse.Chunks(LocalFixtures.Text("streams/reasoning-tool-calls.sse"));
        var frames = AnthropicSse.WriteAnthropic(StreamPipeline.ReadEvents(chunks));
        RecordedAnthropicStreamGoldenTests.AssertMessagesGrammar(frames);
        var message = AnthropicAccumulation.Of(frames);
        var blocks = message.Blocks.ToList();

        // The first call's own (Gemini) signature rides in a thinking block just before its tool_use.
        Assert.Equal(["thinking", "text", "thinking", "tool_use", "tool_use"], blocks.Select(b => (string)b["type"]!));
        Assert.Equal("The user wants the weather in Oslo.", (string)blocks[0]["thinking"]!);
        Assert.Equal(GatewayThinking.Wrap("sig-abc"), (string)blocks[0]["signature"]!);
        Assert.Equal("Let me check.", (string)blocks[1]["text"]!);
        Assert.Equal(("", GatewayThinking.Wrap("gsig-1")), ((string)blocks[2]["thinking"]!, (string)blocks[2]["signature"]!));
        Assert.Equal(("call_x", "get_weather"), ((string)blocks[3]["id"]!, (string)blocks[3]["name"]!));
        JsonSemantic.Equal("""{"city":"Oslo"}""", message.InputOf(3)!);
        Assert.Equal(("call_y", "get_time"), ((string)blocks[4]["id"]!, (string)blocks[4]["name"]!));
        JsonSemantic.Equal("{}", message.InputOf(4)!);
        Assert.Equal("tool_use", message.StopReason);
        // OpenAI's 300 prompt tokens include 256 cached: Anthropic reports them apart.
        Assert.Equal((44, 256, 90), ((int)message.Usage["input_tokens"]!, (int)message.Usage["cache_read_input_tokens"]!, (int)message.Usage["output_tokens"]!));
    }

    [Fact]
    public void An_error_after_the_start_ends_the_stream_with_an_error_event_and_no_message_stop()
    {
        var chunks = Sse.Chunks(LocalFixtures.Text("streams/error-mid-stream.sse"));
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new AnthropicMessagesStreamWriter();
        foreach (var batch in StreamPipeline.ReadEvents(chunks))
        {
            writer.Write(batch, buffer);
        }
        writer.Complete(buffer);
        var frames = AnthropicSse.FramesOf(buffer.WrittenSpan.ToArray());

        Assert.True(writer.IsEnded);
        Assert.False(writer.IsComplete);
        Assert.Equal("error", frames[^1].Name);
        Assert.DoesNotContain(frames, f => f.Name is "message_stop" or "message_delta");
        JsonSemantic.Equal(
            """{"type":"error","error":{"type":"api_error","message":"The server had an error while processing your request."}}""",
            frames[^1].Data);
        Assert.Equal("Hel", (string)AnthropicAccumulation.Of(frames).Blocks.Single()["text"]!);
    }

    [Fact]
    public void Anthropic_error_event_round_trips_with_its_type()
    {
        var error = new SseEvent("error", """{"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"}}""");
        var (batches, reader) = AnthropicSse.Read([error]);
        var streamError = Assert.IsType<StreamErrorEvent>(Assert.Single(batches.SelectMany(b => b)));
        Assert.Equal(("Overloaded", "server_error", "overloaded_error"), (streamError.Message, streamError.Type, streamError.Code));
        Assert.False(reader.IsComplete);

        var frames = Write([Start], [streamError]);
        JsonSemantic.Equal("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", frames[^1].Data);

        var openai = AnthropicSse.WriteOpenAI([[Start], [streamError]]);
        Assert.Contains("\"type\":\"server_error\"", openai[^1], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"overloaded_error\"", openai[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_finish_waits_for_the_usage_that_follows_it()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new AnthropicMessagesStreamWriter(new AnthropicMessagesStreamWriterOptions { Model = "claude-alias" });
        writer.Write(new List<StreamEvent> { Start, new TextDeltaEvent(0, "Hi") }, buffer);
        writer.Write(new FinishEvent(0, FinishReason.Stop), buffer);
        var beforeUsage = AnthropicSse.FramesOf(buffer.WrittenSpan.ToArray());
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_stop"], beforeUsage.Select(f => f.Name));
        Assert.False(writer.IsEnded);

        writer.Write(new UsageEvent(new Usage { PromptTokens = 12, CompletionTokens = 3, CachedPromptTokens = 2 }), buffer);
        Assert.True(writer.IsComplete);
        var lengthAfterUsage = buffer.WrittenCount;
        writer.Complete(buffer);
        Assert.Equal(lengthAfterUsage, buffer.WrittenCount);

        var frames = AnthropicSse.FramesOf(buffer.WrittenSpan.ToArray());
        Assert.Equal(["message_delta", "message_stop"], frames.Skip(4).Select(f => f.Name));
        JsonSemantic.Equal(
            """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":2,"output_tokens":3}}""",
            frames[4].Data);
        Assert.Contains("\"model\":\"claude-alias\"", frames[0].Data, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"msg_chatcmpl-1\"", frames[0].Data, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_ends_a_stream_whose_upstream_sent_no_usage()
    {
        var frames = Write([Start, new TextDeltaEvent(0, "Hi"), new FinishEvent(0, FinishReason.Length)]);
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], frames.Select(f => f.Name));
        JsonSemantic.Equal("""{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":0}}""", frames[4].Data);
    }

    [Fact]
    public void Usage_known_with_the_start_goes_into_message_start()
    {
        var usage = new Usage { PromptTokens = 40, CompletionTokens = 5, CacheCreationPromptTokens = 30 };
        var frames = Write([Start, new TextDeltaEvent(0, "Hi"), new FinishEvent(0, FinishReason.Stop), new UsageEvent(usage)]);
        using var start = JsonDocument.Parse(frames[0].Data);
        var startUsage = start.RootElement.GetProperty("message").GetProperty("usage");
        Assert.Equal((10, 30, 0), (startUsage.GetProperty("input_tokens").GetInt32(), startUsage.GetProperty("cache_creation_input_tokens").GetInt32(), startUsage.GetProperty("output_tokens").GetInt32()));
        Assert.Equal(5, (int)AnthropicAccumulation.Of(frames).Usage["output_tokens"]!);
    }

    [Fact]
    public void Blocks_switch_kind_with_the_events_and_a_bare_signature_gets_its_own_thinking_block()
    {
        var frames = Write([
            Start,
            new SignatureDeltaEvent(0, "gemini-sig"),
            new TextDeltaEvent(0, "a"),
            new ThinkingDeltaEvent(0, "hmm"),
            new TextDeltaEvent(0, "b"),
            new RedactedThinkingEvent(0, "opaque"),
            new RefusalDeltaEvent(0, "no"),
            new TextDeltaEvent(0, ""),
            new LogprobsDeltaEvent(0, JsonDocument.Parse("{}").RootElement),
            new TextDeltaEvent(1, "other choice"),
            new FinishEvent(0, FinishReason.ContentFilter),
        ]);
        RecordedAnthropicStreamGoldenTests.AssertMessagesGrammar(frames);
        var blocks = AnthropicAccumulation.Of(frames).Blocks.Select(b => b.ToJsonString()).ToList();
        Assert.Equal(
            [
                """{"type":"thinking","thinking":"","signature":"switchboard.v1.gemini-sig"}""",
                """{"type":"text","text":"a"}""",
                """{"type":"thinking","thinking":"hmm","signature":"switchboard.v1."}""",
                """{"type":"text","text":"b"}""",
                """{"type":"redacted_thinking","data":"opaque"}""",
                """{"type":"text","text":"no"}""",
            ],
            blocks);
        Assert.Equal("refusal", AnthropicAccumulation.Of(frames).StopReason);
    }

    [Fact]
    public void Interleaved_tool_arguments_are_written_at_their_own_block()
    {
        var frames = Write([
            Start,
            new ToolCallStartEvent(0, 0, "call_a", "a"),
            new ToolCallArgumentsDeltaEvent(0, 0, "{\"x\":"),
            new ToolCallStartEvent(0, 1, null, "b"),
            new ToolCallArgumentsDeltaEvent(0, 0, "1}"),
            new ToolCallArgumentsDeltaEvent(0, 1, "{}"),
            new ToolCallArgumentsDeltaEvent(0, 7, "{\"orphan\":1}"),
            new FinishEvent(0, FinishReason.ToolCalls),
        ]);
        var message = AnthropicAccumulation.Of(frames);
        Assert.Equal("{\"x\":1}", message.InputOf(0));
        Assert.Equal("{}", message.InputOf(1));
        var second = message.Blocks.ElementAt(1);
        Assert.StartsWith("toolu_", (string)second["id"]!);
        Assert.Equal("tool_use", message.StopReason);
    }

    [Fact]
    public void Ping_frame_is_what_Anthropic_sends()
    {
        var frame = Assert.Single(AnthropicSse.FramesOf(AnthropicMessagesStreamWriter.PingFrame.ToArray()));
        Assert.Equal("ping", frame.Name);
    }

    [Fact]
    public void Json_mode_answer_tool_streams_as_text_with_a_natural_stop()
    {
        var stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_json","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":50,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_j","name":"json_response","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"answer\":"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":" 42}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}}

            event: message_stop
            data: {"type":"message_stop"}
            """;
        var (batches, _) = AnthropicSse.Read(AnthropicSse.Parse(stream), new AnthropicReadOptions { JsonToolName = "json_response" });
        var events = batches.SelectMany(b => b).ToList();
        Assert.Empty(events.OfType<ToolCallStartEvent>());
        Assert.Equal("{\"answer\": 42}", string.Concat(events.OfType<TextDeltaEvent>().Select(e => e.Text)));
        Assert.Equal(FinishReasonKind.Stop, Assert.Single(events.OfType<FinishEvent>()).Reason.Kind);

        var client = StreamTranscript.Of(AnthropicSse.WriteOpenAI(batches));
        Assert.Equal("{\"answer\": 42}", client.Choices[0].Text.ToString());
        Assert.Equal("stop", client.Choices[0].Finish);
        Assert.Empty(client.Choices[0].Tools);

        // Without JSON mode the same stream is an ordinary tool call.
        var (plain, _) = AnthropicSse.Read(AnthropicSse.Parse(stream));
        Assert.Single(plain.SelectMany(b => b).OfType<ToolCallStartEvent>());
    }

    [Fact]
    public void Server_tool_blocks_are_assembled_from_their_deltas()
    {
        var stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"query\": \"oslo"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":" weather\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[{"type":"web_search_result","title":"Oslo","url":"https://example.com","encrypted_content":"abc"}]}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":"","citations":[]}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"citations_delta","citation":{"type":"web_search_result_location","url":"https://example.com"}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Sunny."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":2}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":20,"server_tool_use":{"web_search_requests":1}}}

            event: message_stop
            data: {"type":"message_stop"}
            """;
        var (batches, _) = AnthropicSse.Read(AnthropicSse.Parse(stream));
        var blocks = batches.SelectMany(b => b).OfType<ProviderBlockEvent>().ToList();
        Assert.Equal(["server_tool_use", "web_search_tool_result"], blocks.Select(b => b.Type));
        JsonSemantic.Equal("""{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"oslo weather"}}""", blocks[0].Block.GetRawText());

        var rewritten = AnthropicAccumulation.Of(AnthropicSse.WriteAnthropic(batches));
        Assert.Equal(["server_tool_use", "web_search_tool_result", "text"], rewritten.Blocks.Select(b => (string)b["type"]!));
        Assert.Equal("Sunny.", (string)rewritten.Blocks.Last()["text"]!);
        Assert.Equal("Sunny.", StreamTranscript.Of(AnthropicSse.WriteOpenAI(batches)).Choices[0].Text.ToString());
    }

    [Fact]
    public void Malformed_events_are_refused_without_partial_output()
    {
        var reader = new AnthropicMessagesStreamReader();
        var events = new List<StreamEvent>();
        Assert.False(reader.TryRead("content_block_delta"u8, "{\"type\":\"content_block_delta\",\"delta\":{}}"u8, events, out var missing));
        Assert.Equal("index", missing.Param);
        Assert.False(reader.TryRead("message_start"u8, "{\"type\":"u8, events, out var truncated));
        Assert.Equal(ValidationError.InvalidJson, truncated.Code);
        Assert.False(reader.TryRead("message_start"u8, "[]"u8, events, out _));
        Assert.Empty(events);
        Assert.True(reader.TryRead("ping"u8, Encoding.UTF8.GetBytes("{\"type\": \"ping\"}"), events, out _));
        Assert.True(reader.TryRead("future_event"u8, "{\"type\":\"future_event\"}"u8, events, out _));
        Assert.Empty(events);
    }
}
