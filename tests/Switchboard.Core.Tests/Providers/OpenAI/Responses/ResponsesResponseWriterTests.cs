using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

public class ResponsesResponseWriterTests
{
    private static JsonElement Write(ChatResponse response, ChatRequest request) =>
        JsonElement.Parse(ResponsesResponseWriter.WriteToUtf8Bytes(response, request));

    private static ChatResponse Answer(FinishReason finish, params ContentPart[] parts) => new()
    {
        Id = "chatcmpl-9",
        Model = "gpt-4o-2024",
        Created = 1700000000,
        Choices = [new ChatChoice(0, new Message { Role = ChatRole.Assistant, Parts = [.. parts] }) { FinishReason = finish }],
        Usage = new Switchboard.Translation.Canonical.Usage { PromptTokens = 20, CompletionTokens = 7, CachedPromptTokens = 8, ReasoningTokens = 3 },
    };

    [Fact]
    public void Items_status_usage_and_echo_of_the_request()
    {
        var request = ResponsesClientSse.Request("""
            {"model":"m","instructions":"Be brief.","input":"x","tools":[{"type":"function","name":"add","parameters":{"type":"object"}},{"type":"custom","name":"apply_patch"}],
             "reasoning":{"effort":"low","summary":"auto"},"max_output_tokens":300,"store":false,"metadata":{"a":"b"},"previous_response_id":"resp_0"}
            """);
        var body = Write(Answer(FinishReason.ToolCalls,
            new ThinkingPart("Thinking.", "enc-1"), new TextPart("Sure."), new ToolCallPart("call_1", "add", "{\"a\":1}"),
            new ToolCallPart("call_2", "apply_patch", "{\"input\":\"*** Begin Patch\"}")), request);

        Assert.StartsWith("resp_", body.GetProperty("id").GetString());
        Assert.Equal(("response", "completed", "gpt-4o-2024"), (body.GetProperty("object").GetString(), body.GetProperty("status").GetString(), body.GetProperty("model").GetString()));
        var output = body.GetProperty("output");
        Assert.Equal(["reasoning", "message", "function_call", "custom_tool_call"], output.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal("enc-1", output[0].GetProperty("encrypted_content").GetString());
        Assert.StartsWith("msg_", output[1].GetProperty("id").GetString());
        Assert.Equal(0, output[1].GetProperty("content")[0].GetProperty("annotations").GetArrayLength());
        Assert.StartsWith("fc_", output[2].GetProperty("id").GetString());
        Assert.Equal("*** Begin Patch", output[3].GetProperty("input").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal((20, 8, 7, 3, 27), (usage.GetProperty("input_tokens").GetInt32(), usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32(),
            usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32()));
        Assert.Equal("Be brief.", body.GetProperty("instructions").GetString());
        Assert.Equal(["function", "custom"], body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("type").GetString()));
        Assert.Equal(("low", "auto"), (body.GetProperty("reasoning").GetProperty("effort").GetString(), body.GetProperty("reasoning").GetProperty("summary").GetString()));
        Assert.Equal(300, body.GetProperty("max_output_tokens").GetInt32());
        Assert.False(body.GetProperty("store").GetBoolean());
        Assert.Equal("b", body.GetProperty("metadata").GetProperty("a").GetString());
        Assert.Equal("resp_0", body.GetProperty("previous_response_id").GetString());
    }

    [Theory]
    [InlineData(FinishReasonKind.Length, "max_output_tokens")]
    [InlineData(FinishReasonKind.ContentFilter, "content_filter")]
    public void Cut_off_or_filtered_answers_are_incomplete(FinishReasonKind kind, string reason)
    {
        var body = Write(Answer(new FinishReason(kind, "x"), new TextPart("Partial")), ResponsesClientSse.Request());
        Assert.Equal("incomplete", body.GetProperty("status").GetString());
        Assert.Equal(reason, body.GetProperty("incomplete_details").GetProperty("reason").GetString());
    }

    [Fact]
    public void A_refusal_is_a_refusal_part()
    {
        var content = Write(Answer(FinishReason.Stop, new RefusalPart("No.")), ResponsesClientSse.Request()).GetProperty("output")[0].GetProperty("content")[0];
        Assert.Equal(("refusal", "No."), (content.GetProperty("type").GetString(), content.GetProperty("refusal").GetString()));
    }

    [Fact]
    public void Reasoning_read_from_a_request_goes_back_with_its_id_and_encrypted_content()
    {
        var request = ResponsesClientSse.Request("""
            {"model":"m","input":[{"role":"user","content":"q"},{"type":"reasoning","id":"rs_7","summary":[{"type":"summary_text","text":"S"}],"encrypted_content":"E"}]}
            """);
        var thinking = (ThinkingPart)request.Messages[1].Parts[0];
        var reasoning = Write(Answer(FinishReason.Stop, thinking), request).GetProperty("output")[0];
        Assert.Equal(("rs_7", "E", "S"), (reasoning.GetProperty("id").GetString(), reasoning.GetProperty("encrypted_content").GetString(),
            reasoning.GetProperty("summary")[0].GetProperty("text").GetString()));
    }
}
