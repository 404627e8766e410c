using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// <see cref="ResponsesResponseReader"/> and <see cref="ResponsesErrorReader"/>: golden tests over the recorded
/// response objects and error bodies of shared/fixtures/openai-responses (read in place; expectations taken from the
/// recording), and the cases the recordings do not hold.
/// </summary>
public sealed class ResponsesUpstreamResponseReaderTests
{
    private static byte[] Recorded(string name) => File.ReadAllBytes(SharedFixtures.PathOf($"{ResponsesUpstreamRecordings.Folder}/{name}"));

    public static IEnumerable<object[]> RecordedResponses() => SharedFixtures.Directory is null
        ? []
        : Directory.GetFiles(Path.Combine(SharedFixtures.Directory, ResponsesUpstreamRecordings.Folder), "*.json")
            .Where(path => JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.TryGetProperty("object", out var o) && o.GetString() == "response")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name! });

    private static ChatResponse Read(string json)
    {
        var result = ResponsesResponseReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    [SharedFixtureTheory]
    [MemberData(nameof(RecordedResponses))]
    public void Every_recorded_response_reads_into_its_output_items_and_usage(string file)
    {
        var bytes = Recorded(file);
        var root = JsonDocument.Parse(bytes).RootElement;

        var result = ResponsesResponseReader.Read(bytes);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        var response = result.Value;
        Assert.Equal((root.GetProperty("id").GetString(), root.GetProperty("model").GetString(), root.GetProperty("created_at").GetInt64()),
            (response.Id, response.Model, response.Created));
        Assert.Equal(ResponsesDialect.Name, response.SourceDialect);
        var choice = Assert.Single(response.Choices);
        Assert.Equal(ChatRole.Assistant, choice.Message.Role);

        var expected = new List<ContentPart>();
        foreach (var item in root.GetProperty("output").EnumerateArray())
        {
            switch (item.GetProperty("type").GetString())
            {
                case "message":
                    expected.AddRange(item.GetProperty("content").EnumerateArray().Select(p => (ContentPart)new TextPart(p.GetProperty("text").GetString()!)));
                    break;
                case "function_call":
                    expected.Add(new ToolCallPart(item.GetProperty("call_id").GetString(), item.GetProperty("name").GetString()!, item.GetProperty("arguments").GetString()!));
                    break;
                case "reasoning":
                    expected.Add(new ThinkingPart(
                        string.Join("\n\n", item.GetProperty("summary").EnumerateArray().Select(s => s.GetProperty("text").GetString())),
                        item.GetProperty("encrypted_content").GetString()));
                    break;
                default:
                    Assert.Fail($"no expectation written for {item.GetProperty("type")}");
                    break;
            }
        }
        Assert.Equal(expected, choice.Message.Parts);
        Assert.Equal(expected.Any(p => p is ToolCallPart) ? FinishReason.ToolCalls : FinishReason.Stop, choice.FinishReason);

        var usage = root.GetProperty("usage");
        Assert.Equal(new Usage
        {
            PromptTokens = usage.GetProperty("input_tokens").GetInt32(),
            CompletionTokens = usage.GetProperty("output_tokens").GetInt32(),
            TotalTokens = usage.GetProperty("total_tokens").GetInt32(),
            CachedPromptTokens = usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32(),
            ReasoningTokens = usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32(),
        }, response.Usage);
    }

    [SharedFixtureFact]
    public void Recorded_reasoning_keeps_its_encrypted_content_for_the_next_turn()
    {
        var response = ResponsesResponseReader.Read(Recorded("openai-reasoning-encrypted-content.1.json")).Value!;

        var thinking = Assert.IsType<ThinkingPart>(response.Choices[0].Message.Parts[0]);
        Assert.StartsWith("**Reporting final result**", thinking.Text);
        Assert.True(ResponsesRequestWriter.IsEncryptedReasoning(thinking.Signature));
        Assert.Equal(128, response.Usage!.ReasoningTokens);
    }

    [Fact]
    public void Custom_tool_calls_refusals_and_hosted_items_keep_their_kind()
    {
        var response = Read("""
            {"id":"resp_1","object":"response","created_at":5,"status":"completed","model":"gpt-5-codex","output":[
              {"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"q"}},
              {"type":"message","id":"msg_1","role":"assistant","content":[{"type":"refusal","refusal":"No."}]},
              {"type":"custom_tool_call","id":"ctc_1","call_id":"call_1","name":"apply_patch","input":"*** Begin Patch"}
            ],"usage":{"input_tokens":10,"output_tokens":3,"total_tokens":13}}
            """);

        var parts = response.Choices[0].Message.Parts;
        var hosted = Assert.IsType<ProviderPart>(parts[0]);
        Assert.Equal((ResponsesDialect.Name, "web_search_call", "ws_1"), (hosted.Dialect, hosted.Type, hosted.Raw.GetProperty("id").GetString()));
        Assert.Equal(new RefusalPart("No."), parts[1]);
        Assert.Equal(new ToolCallPart("call_1", "apply_patch", "*** Begin Patch") { Kind = ToolCallKind.Custom }, parts[2]);
        Assert.Equal(FinishReason.ToolCalls, response.Choices[0].FinishReason);
        Assert.Null(response.Usage!.CachedPromptTokens);
    }

    [Theory]
    [InlineData("max_output_tokens", FinishReasonKind.Length)]
    [InlineData("content_filter", FinishReasonKind.ContentFilter)]
    [InlineData("something_new", FinishReasonKind.Other)]
    public void Incomplete_responses_finish_with_their_reason(string reason, FinishReasonKind kind)
    {
        var response = Read($$"""
            {"id":"resp_1","object":"response","created_at":5,"status":"incomplete","incomplete_details":{"reason":"{{reason}}"},
             "model":"m","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hal","annotations":[]}]}]}
            """);

        Assert.Equal(kind, response.Choices[0].FinishReason!.Kind);
        Assert.Equal("Hal", Assert.IsType<TextPart>(Assert.Single(response.Choices[0].Message.Parts)).Text);
    }

    [Fact]
    public void A_failed_response_is_no_answer()
    {
        var result = ResponsesResponseReader.Read("""
            {"id":"resp_1","object":"response","status":"failed","error":{"code":"server_error","message":"boom"},"output":[]}
            """u8);

        Assert.False(result.IsSuccess);
        Assert.Contains("boom", result.Error.Message);
    }

    [Theory]
    [InlineData("""[]""", null)]
    [InlineData("""{"id":"r","output":{}}""", "output")]
    [InlineData("""{"id":"r","output":[{"type":"function_call","name":"f","arguments":"{}"}]}""", "output[0].call_id")]
    [InlineData("""{"id":"r","output":[{"type":"message","content":[{"type":"output_text","text":5}]}]}""", "output[0].content.text")]
    [InlineData("""{"output":[]}""", "id")]
    public void Malformed_responses_are_errors_naming_the_member(string json, string? param)
    {
        var result = ResponsesResponseReader.Read(Encoding.UTF8.GetBytes(json));

        Assert.False(result.IsSuccess);
        Assert.Equal(param, result.Error.Param);
    }

    [SharedFixtureFact]
    public void Recorded_error_body_and_stream_error_event_read_alike()
    {
        var body = Recorded("openai-error.1.json");
        var recorded = JsonDocument.Parse(body).RootElement.GetProperty("error");
        var eventLine = ResponsesUpstreamRecordings.Streams("openai-error.1.chunks.txt").Single()
            .Single(l => ResponsesUpstreamRecordings.TypeOf(l) == "error");

        var fromBody = ResponsesErrorReader.Read(body);
        var fromEvent = ResponsesErrorReader.ReadStreamError(Encoding.UTF8.GetBytes(eventLine));

        var expected = new UpstreamErrorInfo(
            recorded.GetProperty("type").GetString(), recorded.GetProperty("code").GetString(), recorded.GetProperty("message").GetString(), null, null);
        Assert.Equal(expected, fromBody);
        Assert.Equal(expected, fromEvent);
    }

    [Fact]
    public void A_flat_stream_error_event_is_read_and_other_data_is_not_an_error()
    {
        var flat = ResponsesErrorReader.ReadStreamError("""{"type":"error","code":"rate_limit_exceeded","message":"Slow down","param":null,"sequence_number":4}"""u8);

        Assert.Equal(new UpstreamErrorInfo(null, "rate_limit_exceeded", "Slow down", null, null), flat);
        Assert.Null(ResponsesErrorReader.ReadStreamError("""{"type":"response.output_text.delta","delta":"x"}"""u8));
        Assert.Null(ResponsesErrorReader.ReadStreamError("not json"u8));
        Assert.Null(ResponsesErrorReader.Read("<html>502</html>"u8));
    }
}
