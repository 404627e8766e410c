namespace Switchboard.Core.Tests.Providers.OpenAI.Streaming;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// The stream writer fed by other dialects: event sequences shaped the way the Anthropic and Gemini
/// stream readers will produce them (one upstream event per batch, block indexes as tool indexes).
/// </summary>
public sealed class StreamWriterTests
{
    private static readonly FinishReason ToolUse = new(FinishReasonKind.ToolCalls, "tool_use");

    /// <summary>An Anthropic Messages stream with thinking, text and two tool_use blocks (indexes 2 and 3).</summary>
    private static List<List<StreamEvent>> AnthropicLike() =>
    [
        [new StreamStartEvent("msg_01Y6V41gqPaKWEw7iPouH7iW", "claude-sonnet-4-5-20250929", 1746000000)],
        [],
        [new ThinkingDeltaEvent(0, "The previous")],
        [new ThinkingDeltaEvent(0, " result was 925.")],
        [new SignatureDeltaEvent(0, "EvQBCkYICxgC")],
        [new TextDeltaEvent(0, "925 ÷ 5 ")],
        [new TextDeltaEvent(0, "= 185")],
        [new ToolCallStartEvent(0, 2, "toolu_01", "record")],
        [new ToolCallArgumentsDeltaEvent(0, 2, "")],
        [new ToolCallArgumentsDeltaEvent(0, 2, "{\"value\":")],
        [new ToolCallArgumentsDeltaEvent(0, 2, "185}")],
        [new ToolCallStartEvent(0, 3, "toolu_02", "notify")],
        [new ToolCallArgumentsDeltaEvent(0, 3, "{}")],
        [new FinishEvent(0, ToolUse), new UsageEvent(new Usage { PromptTokens = 69, CompletionTokens = 120, CachedPromptTokens = 0, CacheCreationPromptTokens = 0 })],
    ];

    [Fact]
    public void Anthropic_like_stream_comes_out_as_an_OpenAI_stream()
    {
        var frames = Sse.FramesOf(StreamPipeline.WriteAll(AnthropicLike(), new OpenAIChatStreamWriterOptions { IncludeUsage = true, Model = "smart" }));

        StreamPipeline.AssertOpenAIShape(frames);
        Assert.Equal(14, frames.Count);
        Assert.Equal(
            """{"id":"msg_01Y6V41gqPaKWEw7iPouH7iW","object":"chat.completion.chunk","created":1746000000,"model":"smart","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}""",
            frames[0]);
        Assert.Equal(
            """{"id":"msg_01Y6V41gqPaKWEw7iPouH7iW","object":"chat.completion.chunk","created":1746000000,"model":"smart","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"toolu_01","type":"function","function":{"name":"record","arguments":""}}]},"logprobs":null,"finish_reason":null}]}""",
            frames[6]);
        Assert.Equal(
            """{"id":"msg_01Y6V41gqPaKWEw7iPouH7iW","object":"chat.completion.chunk","created":1746000000,"model":"smart","choices":[],"usage":{"prompt_tokens":69,"completion_tokens":120,"total_tokens":189,"prompt_tokens_details":{"cached_tokens":0,"cache_write_tokens":0}}}""",
            frames[^1]);

        var transcript = StreamTranscript.Of(frames);
        var choice = transcript.Choices[0];
        Assert.Equal("The previous result was 925.", choice.Reasoning.ToString());
        Assert.Equal(["EvQBCkYICxgC"], choice.Signatures);
        Assert.Equal("925 ÷ 5 = 185", choice.Text.ToString());
        Assert.Equal([0, 1], choice.Tools.Keys);
        Assert.Equal(("toolu_01", "record", "{\"value\":185}"), (choice.Tools[0].Id, choice.Tools[0].Name, choice.Tools[0].Arguments));
        Assert.Equal(("toolu_02", "notify", "{}"), (choice.Tools[1].Id, choice.Tools[1].Name, choice.Tools[1].Arguments));
        Assert.Equal("tool_calls", choice.Finish);
        Assert.Equal(189, transcript.UsageNumber("total_tokens"));
    }

    [Fact]
    public void Usage_is_kept_from_a_client_that_did_not_ask()
    {
        var frames = Sse.FramesOf(StreamPipeline.WriteAll(AnthropicLike(), new OpenAIChatStreamWriterOptions()));
        Assert.Equal(0, StreamTranscript.Of(frames).UsageFrames);
        Assert.Equal("claude-sonnet-4-5-20250929", JsonDocument.Parse(frames[0]).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void Gemini_like_frame_with_text_and_finish_is_one_frame_and_calls_get_ids()
    {
        List<List<StreamEvent>> batches =
        [
            [new StreamStartEvent("resp-1", "gemini-3-pro-preview", 1746000000), new TextDeltaEvent(0, "There are **3**")],
            [new ToolCallStartEvent(0, 0, null, "weather") { Signature = "EqUCCqIC" }, new ToolCallArgumentsDeltaEvent(0, 0, """{"location":"San Francisco"}""")],
            [new TextDeltaEvent(0, " r's."), new FinishEvent(0, new FinishReason(FinishReasonKind.Stop, "STOP"))],
        ];
        var frames = Sse.FramesOf(StreamPipeline.WriteAll(batches, new OpenAIChatStreamWriterOptions()));

        Assert.Equal(3, frames.Count);
        StreamPipeline.AssertOpenAIShape(frames);
        var first = JsonDocument.Parse(frames[0]).RootElement.GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        Assert.Equal("There are **3**", first.GetProperty("content").GetString());

        var call = JsonDocument.Parse(frames[1]).RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0];
        Assert.Matches("^call_[0-9a-f]{24}$", call.GetProperty("id").GetString());
        Assert.Equal("""{"location":"San Francisco"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("EqUCCqIC", call.GetProperty("extra_content").GetProperty("google").GetProperty("thought_signature").GetString());

        var last = JsonDocument.Parse(frames[2]).RootElement.GetProperty("choices")[0];
        Assert.Equal(" r's.", last.GetProperty("delta").GetProperty("content").GetString());
        Assert.Equal("stop", last.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void Legacy_clients_get_function_call_deltas()
    {
        List<List<StreamEvent>> batches =
        [
            [new StreamStartEvent("c", "m", 1), new ToolCallStartEvent(0, 0, "call_1", "add")],
            [new ToolCallArgumentsDeltaEvent(0, 0, "{\"a\":1}")],
            [new FinishEvent(0, OpenAIChatFinishReasons.FromWire("function_call"))],
        ];
        var frames = Sse.FramesOf(StreamPipeline.WriteAll(batches, new OpenAIChatStreamWriterOptions { LegacyFunctionCall = true }));

        Assert.Contains("\"delta\":{\"role\":\"assistant\",\"content\":null,\"function_call\":{\"name\":\"add\",\"arguments\":\"\"},\"refusal\":null}", frames[0], StringComparison.Ordinal);
        Assert.Contains("\"delta\":{\"function_call\":{\"arguments\":\"{\\\"a\\\":1}\"}}", frames[1], StringComparison.Ordinal);
        Assert.Contains("\"finish_reason\":\"function_call\"", frames[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Second_choice_gets_its_own_role_frame()
    {
        List<List<StreamEvent>> batches =
        [
            [new StreamStartEvent("c", "m", 1), new TextDeltaEvent(0, "a")],
            [new TextDeltaEvent(1, "b")],
            [new FinishEvent(0, FinishReason.Stop), new FinishEvent(1, FinishReason.Length)],
        ];
        var frames = Sse.FramesOf(StreamPipeline.WriteAll(batches, new OpenAIChatStreamWriterOptions()));

        StreamPipeline.AssertOpenAIShape(frames);
        Assert.Equal(4, frames.Count);
        var transcript = StreamTranscript.Of(frames);
        Assert.Equal(("a", "stop"), (transcript.Choices[0].Text.ToString(), transcript.Choices[0].Finish));
        Assert.Equal(("b", "length"), (transcript.Choices[1].Text.ToString(), transcript.Choices[1].Finish));
    }

    [Fact]
    public void Events_in_one_batch_that_collide_split_into_frames()
    {
        List<List<StreamEvent>> batches =
        [
            [new StreamStartEvent("c", "m", 1), new TextDeltaEvent(0, "a"), new TextDeltaEvent(0, "b"), new ThinkingDeltaEvent(0, "t"), new FinishEvent(0, FinishReason.Stop)],
        ];
        var frames = Sse.FramesOf(StreamPipeline.WriteAll(batches, new OpenAIChatStreamWriterOptions()));

        Assert.Equal(2, frames.Count);
        var transcript = StreamTranscript.Of(frames);
        Assert.Equal(("ab", "t", "stop"), (transcript.Choices[0].Text.ToString(), transcript.Choices[0].Reasoning.ToString(), transcript.Choices[0].Finish));
    }

    [Fact]
    public void Error_before_any_start_is_a_lone_error_frame()
    {
        var frames = Sse.FramesOf(StreamPipeline.WriteAll(
            [[new StreamErrorEvent("Overloaded") { Type = "overloaded_error", Code = "529" }]],
            new OpenAIChatStreamWriterOptions()));

        JsonSemantic.Equal("""{"error":{"message":"Overloaded","type":"overloaded_error","code":"529"}}""", Assert.Single(frames));
    }

    [Fact]
    public void Content_without_a_start_still_gets_an_identity_and_role()
    {
        var frames = Sse.FramesOf(StreamPipeline.WriteAll([[new TextDeltaEvent(0, "hi")], [new TextDeltaEvent(0, "!")]], new OpenAIChatStreamWriterOptions { Model = "alias" }));

        StreamPipeline.AssertOpenAIShape(frames);
        var root = JsonDocument.Parse(frames[0]).RootElement;
        Assert.StartsWith("chatcmpl-", root.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("alias", root.GetProperty("model").GetString());
    }

    [Fact]
    public void Done_frame_is_OpenAIs()
    {
        Assert.Equal("data: [DONE]\n\n"u8.ToArray(), OpenAIChatStreamWriter.DoneFrame.ToArray());
        Assert.True(OpenAIChatStreamReader.IsDone("[DONE]\r\n"u8));
        Assert.False(OpenAIChatStreamReader.IsDone("{}"u8));
    }

    [Fact]
    public void Reader_reports_malformed_chunks_and_keeps_no_partial_events()
    {
        var reader = new OpenAIChatStreamReader();
        var events = new List<StreamEvent>();
        Assert.False(reader.TryRead("""{"id":"x","choices":[{"index":0,"delta":{"content":"a"}},{"index":"1"}]}"""u8, events, out var error));
        Assert.Equal("choices.index", error.Param);
        Assert.Empty(events);
        Assert.False(reader.TryRead("not json"u8, events, out error));
        Assert.Equal(ValidationError.InvalidJson, error.Code);
    }

    [Fact]
    public void Servers_that_repeat_ids_and_names_yield_one_start_per_call()
    {
        var chunks = new[]
        {
            """{"id":"c","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\""}}]}}]}""",
            """{"id":"c","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":":1}"}}]}}]}""",
        };
        var events = StreamPipeline.ReadEvents(chunks).SelectMany(e => e).ToList();
        Assert.Single(events.OfType<ToolCallStartEvent>());
        Assert.Single(events.OfType<StreamStartEvent>());
        Assert.Equal("{\"a\":1}", string.Concat(events.OfType<ToolCallArgumentsDeltaEvent>().Select(e => e.Fragment)));
    }
}
