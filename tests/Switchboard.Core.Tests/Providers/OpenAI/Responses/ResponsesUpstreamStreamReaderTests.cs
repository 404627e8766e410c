using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

/// <summary>
/// Golden tests of <see cref="ResponsesStreamReader"/> over every recorded Responses stream: what a client puts
/// together from the canonical events must be what the recording's finished output items and final response say.
/// Expectations come from the recording itself (its <c>output_item.done</c> items, its deltas, its
/// <c>response.completed</c>), never from the reader.
/// </summary>
public sealed class ResponsesUpstreamStreamReaderTests
{
    private const string ParallelWrapper = "parallel-tool-call-wrapper.1.chunks.txt";
    private const string ErrorStream = "openai-error.1.chunks.txt";

    public static IEnumerable<object[]> CompletedStreams() => ResponsesUpstreamRecordings.StreamFiles(ParallelWrapper, ErrorStream);

    [SharedFixtureTheory]
    [MemberData(nameof(CompletedStreams))]
    public void Every_recorded_stream_reads_into_what_its_output_items_say(string file)
    {
        var streams = ResponsesUpstreamRecordings.Streams(file);
        Assert.NotEmpty(streams);
        foreach (var lines in streams)
        {
            var expected = Expected.From(lines);
            var transcript = ResponsesUpstreamRecordings.Read(lines);

            Assert.Empty(transcript.Refused);
            Assert.Empty(transcript.Errors);
            Assert.True(transcript.IsComplete);
            var start = Assert.Single(transcript.Starts);
            Assert.Equal((expected.Id, expected.Model, expected.Created), (start.Id, start.Model, start.Created));

            Assert.Equal(expected.Text, transcript.Text.ToString());
            Assert.Equal(expected.TextFromDeltas, transcript.Text.ToString());
            Assert.Equal(expected.Thinking, transcript.Thinking.ToString());
            Assert.Equal(expected.Signatures, transcript.Signatures);
            Assert.Equal(expected.Calls, transcript.Calls.Select(c => (c.Id, c.Name, c.Kind, c.Arguments.ToString())).ToList());
            Assert.Equal(expected.OtherItems, transcript.ProviderBlocks);

            Assert.Equal(expected.Calls.Count > 0 ? FinishReason.ToolCalls : FinishReason.Stop, transcript.Finish);
            var usage = transcript.Usage!;
            Assert.NotNull(usage);
            var recorded = expected.Usage;
            Assert.Equal(recorded.GetProperty("input_tokens").GetInt32(), usage.PromptTokens);
            Assert.Equal(recorded.GetProperty("output_tokens").GetInt32(), usage.CompletionTokens);
            Assert.Equal(recorded.GetProperty("total_tokens").GetInt32(), usage.Total);
            Assert.Equal(recorded.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32(), usage.CachedPromptTokens);
            Assert.Equal(recorded.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32(), usage.ReasoningTokens);
            Assert.IsType<UsageEvent>(transcript.Events[^1]);
        }
    }

    [SharedFixtureFact]
    public void Reasoning_summary_streams_as_thinking_and_its_encrypted_content_as_the_signature()
    {
        var lines = ResponsesUpstreamRecordings.Streams("openai-reasoning-encrypted-content.1.chunks.txt")[0];
        var done = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .First(e => e.GetProperty("type").GetString() == "response.output_item.done" && e.GetProperty("item").GetProperty("type").GetString() == "reasoning")
            .GetProperty("item");
        var summaryDone = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("type").GetString() == "response.reasoning_summary_text.done");

        var transcript = ResponsesUpstreamRecordings.Read(lines);

        Assert.StartsWith("gAAAAA", done.GetProperty("encrypted_content").GetString());
        Assert.Equal([done.GetProperty("encrypted_content").GetString()!], transcript.Signatures);
        Assert.Equal(summaryDone.GetProperty("text").GetString(), transcript.Thinking.ToString());
        // The signature closes the thinking block, before the tool call starts.
        var signatureAt = transcript.Events.FindIndex(e => e is SignatureDeltaEvent);
        Assert.True(signatureAt < transcript.Events.FindIndex(e => e is ToolCallStartEvent));
        // The written body can send it back: the writer recognizes it as OpenAI's encrypted reasoning.
        Assert.True(ResponsesRequestWriter.IsEncryptedReasoning(transcript.Signatures[0]));
    }

    [SharedFixtureFact]
    public void Custom_tool_input_streams_as_a_custom_tool_call()
    {
        var transcript = ResponsesUpstreamRecordings.Read(ResponsesUpstreamRecordings.Streams("openai-custom-tool.1.chunks.txt")[0]);

        var call = Assert.Single(transcript.Calls);
        Assert.Equal(ToolCallKind.Custom, call.Kind);
        Assert.Equal("SELECT * FROM users WHERE age > 25", call.Arguments.ToString());
        Assert.Equal(FinishReason.ToolCalls, transcript.Finish);
    }

    [SharedFixtureFact]
    public void An_error_event_ends_the_stream_with_one_error_and_no_finish()
    {
        var lines = ResponsesUpstreamRecordings.Streams(ErrorStream).Single();
        var recorded = JsonDocument.Parse(lines.Single(l => ResponsesUpstreamRecordings.TypeOf(l) == "error")).RootElement.GetProperty("error");

        var transcript = ResponsesUpstreamRecordings.Read(lines);

        var error = Assert.Single(transcript.Errors);
        Assert.Equal(recorded.GetProperty("message").GetString(), error.Message);
        Assert.Equal(recorded.GetProperty("code").GetString(), error.Code);
        Assert.Equal(recorded.GetProperty("type").GetString(), error.Type);
        Assert.Null(transcript.Finish);
        Assert.False(transcript.IsComplete);
    }

    [SharedFixtureFact]
    public void A_failed_response_alone_is_a_stream_error()
    {
        var lines = ResponsesUpstreamRecordings.Streams(ErrorStream).Single().Where(l => ResponsesUpstreamRecordings.TypeOf(l) != "error");
        var transcript = ResponsesUpstreamRecordings.Read(lines);

        var error = Assert.Single(transcript.Errors);
        Assert.StartsWith("You exceeded your current quota", error.Message);
        Assert.Equal("insufficient_quota", error.Code);
        Assert.False(transcript.IsComplete);
    }

    /// <summary>
    /// This recording's first and last lines are not valid JSON (their <c>response</c> object is never closed). The
    /// reader refuses exactly those, so the stream is never taken as complete; the call between them still reads.
    /// </summary>
    [SharedFixtureFact]
    public void Malformed_events_are_refused_and_leave_the_stream_incomplete()
    {
        var lines = ResponsesUpstreamRecordings.Streams(ParallelWrapper).Single();
        var done = JsonDocument.Parse(lines.Single(l => ResponsesUpstreamRecordings.TypeOf(l) == "response.output_item.done")).RootElement.GetProperty("item");

        var transcript = ResponsesUpstreamRecordings.Read(lines);

        Assert.Equal(["response.created", "response.completed"], transcript.Refused.Select(r => r.EventName));
        Assert.All(transcript.Refused, r => Assert.Equal(ValidationError.InvalidJson, r.Error.Code));
        Assert.False(transcript.IsComplete);
        Assert.Null(transcript.Finish);
        var call = Assert.Single(transcript.Calls);
        Assert.Equal((done.GetProperty("call_id").GetString(), done.GetProperty("name").GetString(), done.GetProperty("arguments").GetString()),
            (call.Id, call.Name, call.Arguments.ToString()));
    }

    [Fact]
    public void An_incomplete_response_finishes_with_its_reason()
    {
        string[] lines =
        [
            """{"type":"response.created","response":{"id":"resp_1","model":"gpt-5-codex","created_at":1,"status":"in_progress","output":[]}}""",
            """{"type":"response.output_item.added","output_index":0,"item":{"type":"message","id":"msg_1","role":"assistant","content":[]}}""",
            """{"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"Hel"}""",
            """{"type":"response.incomplete","response":{"id":"resp_1","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"usage":{"input_tokens":5,"output_tokens":16,"total_tokens":21}}}""",
        ];

        var transcript = ResponsesUpstreamRecordings.Read(lines);

        Assert.Equal("Hel", transcript.Text.ToString());
        Assert.Equal(FinishReason.Length, transcript.Finish);
        Assert.Equal(16, transcript.Usage!.CompletionTokens);
        Assert.True(transcript.IsComplete);
    }

    [Fact]
    public void A_flat_error_event_as_documented_is_read()
    {
        string[] lines =
        [
            """{"type":"response.created","response":{"id":"resp_1","model":"m","created_at":1,"status":"in_progress","output":[]}}""",
            """{"type":"error","code":"server_error","message":"The server had an error","param":null,"sequence_number":1}""",
        ];

        var error = Assert.Single(ResponsesUpstreamRecordings.Read(lines).Errors);

        Assert.Equal(("The server had an error", "server_error", "server_error"), (error.Message, error.Type, error.Code));
    }

    [Fact]
    public void Summary_parts_are_separated_like_the_response_reader_joins_them()
    {
        string[] lines =
        [
            """{"type":"response.created","response":{"id":"r","model":"m","created_at":1,"output":[]}}""",
            """{"type":"response.output_item.added","output_index":0,"item":{"type":"reasoning","id":"rs_1","summary":[]}}""",
            """{"type":"response.reasoning_summary_part.added","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":""}}""",
            """{"type":"response.reasoning_summary_text.delta","output_index":0,"summary_index":0,"delta":"one"}""",
            """{"type":"response.reasoning_summary_part.added","output_index":0,"summary_index":1,"part":{"type":"summary_text","text":""}}""",
            """{"type":"response.reasoning_summary_text.delta","output_index":0,"summary_index":1,"delta":"two"}""",
            """{"type":"response.output_item.done","output_index":0,"item":{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"one"},{"type":"summary_text","text":"two"}]}}""",
        ];

        Assert.Equal("one\n\ntwo", ResponsesUpstreamRecordings.Read(lines).Thinking.ToString());
    }

    [Fact]
    public void Argument_fragments_for_an_item_that_is_no_tool_call_are_refused()
    {
        string[] lines =
        [
            """{"type":"response.created","response":{"id":"r","model":"m","created_at":1,"output":[]}}""",
            """{"type":"response.function_call_arguments.delta","output_index":3,"delta":"{}"}""",
        ];

        var refused = Assert.Single(ResponsesUpstreamRecordings.Read(lines).Refused);

        Assert.Equal("output_index", refused.Error.Param);
    }

    /// <summary>What the recording says one response holds.</summary>
    private sealed record Expected(
        string Id, string Model, long Created, string Text, string TextFromDeltas, string Thinking, List<string> Signatures,
        List<(string?, string, ToolCallKind, string)> Calls, List<string> OtherItems, JsonElement Usage)
    {
        public static Expected From(List<string> lines)
        {
            var events = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            var created = events.First(e => Type(e) == "response.created").GetProperty("response");
            var completed = events.Single(e => Type(e) == "response.completed").GetProperty("response");
            var text = new StringBuilder();
            var thinking = new StringBuilder();
            var signatures = new List<string>();
            var calls = new List<(string?, string, ToolCallKind, string)>();
            var others = new List<string>();
            foreach (var item in events.Where(e => Type(e) == "response.output_item.done").Select(e => e.GetProperty("item")))
            {
                switch (item.GetProperty("type").GetString())
                {
                    case "message":
                        foreach (var part in item.GetProperty("content").EnumerateArray().Where(p => p.GetProperty("type").GetString() == "output_text"))
                        {
                            text.Append(part.GetProperty("text").GetString());
                        }
                        break;
                    case "function_call":
                        calls.Add((item.GetProperty("call_id").GetString(), item.GetProperty("name").GetString()!, ToolCallKind.Function, item.GetProperty("arguments").GetString()!));
                        break;
                    case "custom_tool_call":
                        calls.Add((item.GetProperty("call_id").GetString(), item.GetProperty("name").GetString()!, ToolCallKind.Custom, item.GetProperty("input").GetString()!));
                        break;
                    case "reasoning":
                        thinking.Append(string.Join("\n\n", item.GetProperty("summary").EnumerateArray().Select(s => s.GetProperty("text").GetString())));
                        if (item.TryGetProperty("encrypted_content", out var encrypted) && encrypted.ValueKind == JsonValueKind.String)
                        {
                            signatures.Add(encrypted.GetString()!);
                        }
                        break;
                    default:
                        others.Add(item.GetProperty("type").GetString()!);
                        break;
                }
            }
            var deltas = string.Concat(events.Where(e => Type(e) == "response.output_text.delta").Select(e => e.GetProperty("delta").GetString()));
            return new Expected(
                created.GetProperty("id").GetString()!, created.GetProperty("model").GetString()!, created.GetProperty("created_at").GetInt64(),
                text.ToString(), deltas, thinking.ToString(), signatures, calls, others, completed.GetProperty("usage"));
        }

        private static string? Type(JsonElement e) => e.GetProperty("type").GetString();
    }
}
