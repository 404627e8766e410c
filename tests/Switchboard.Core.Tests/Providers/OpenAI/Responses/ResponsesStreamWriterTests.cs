using Switchboard.Providers.OpenAI.Responses;

namespace Switchboard.Core.Tests.Providers.OpenAI.Responses;

public class ResponsesStreamWriterTests
{
    private static readonly StreamStartEvent Start = new("chatcmpl-1", "gpt-4o", 1700000000);

    private static List<string> Types(List<JsonElement> events) => events.Select(e => e.GetProperty("type").GetString()!).ToList();

    [Fact]
    public void A_failure_ends_with_response_failed_and_never_completes()
    {
        var events = ResponsesClientSse.Write(ResponsesClientSse.Request(), [
            [Start, new TextDeltaEvent(0, "Hel")],
            [new StreamErrorEvent("upstream went away") { Type = "server_error", Code = "upstream_disconnected" }],
            [new TextDeltaEvent(0, "lo"), new FinishEvent(0, FinishReason.Stop)],
        ]);
        var types = Types(events);
        Assert.Equal(["error", "response.failed"], types[^2..]);
        Assert.DoesNotContain("response.completed", types);
        var failed = events[^1].GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("upstream_disconnected", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("upstream went away", events[^2].GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void Text_stream_from_a_chat_upstream_completes_with_a_resp_id_and_usage()
    {
        var events = ResponsesClientSse.Write(ResponsesClientSse.Request(), [
            [Start], [new TextDeltaEvent(0, "Hel")], [new TextDeltaEvent(0, "lo")],
            [new FinishEvent(0, FinishReason.Stop)],
            [new UsageEvent(new Switchboard.Translation.Canonical.Usage { PromptTokens = 10, CompletionTokens = 2, CachedPromptTokens = 4 })],
        ]);
        Assert.Equal([
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.completed"], Types(events));
        var completed = events[^1].GetProperty("response");
        Assert.StartsWith("resp_", completed.GetProperty("id").GetString());
        Assert.Equal(events[0].GetProperty("response").GetProperty("id").GetString(), completed.GetProperty("id").GetString());
        // The deltas joined, in the part's done event and again in the completed response.
        Assert.Equal("Hello", events[6].GetProperty("text").GetString());
        Assert.Equal("Hello", completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(4, completed.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(12, completed.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void A_cut_off_answer_ends_incomplete()
    {
        var events = ResponsesClientSse.Write(ResponsesClientSse.Request(), [[Start, new TextDeltaEvent(0, "Lo"), new FinishEvent(0, FinishReason.Length)]]);
        Assert.Equal("response.incomplete", Types(events)[^1]);
        var response = events[^1].GetProperty("response");
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
    }

    [Fact]
    public void A_custom_tool_called_as_a_function_streams_as_custom_tool_call_input()
    {
        var request = ResponsesClientSse.Request("""{"model":"m","input":"x","tools":[{"type":"custom","name":"apply_patch"}]}""");
        var events = ResponsesClientSse.Write(request, [
            [Start, new ToolCallStartEvent(0, 0, "call_9", "apply_patch")],
            [new ToolCallArgumentsDeltaEvent(0, 0, "{\"input\":\"*** Begin")], [new ToolCallArgumentsDeltaEvent(0, 0, " Patch\\n\"}")],
            [new FinishEvent(0, FinishReason.ToolCalls)],
        ]);
        Assert.Equal([
            "response.created", "response.in_progress", "response.output_item.added", "response.custom_tool_call_input.delta",
            "response.custom_tool_call_input.done", "response.output_item.done", "response.completed"], Types(events));
        var item = events[^2].GetProperty("item");
        Assert.Equal(("custom_tool_call", "call_9", "*** Begin Patch\n"),
            (item.GetProperty("type").GetString(), item.GetProperty("call_id").GetString(), item.GetProperty("input").GetString()));
    }

    [Fact]
    public void Thinking_then_a_function_call_become_reasoning_then_function_call_items()
    {
        var events = ResponsesClientSse.Write(ResponsesClientSse.Request(), [
            [Start, new ThinkingDeltaEvent(0, "Let me add."), new SignatureDeltaEvent(0, "sig-1")],
            [new ToolCallStartEvent(0, 1, "toolu_1", "add"), new ToolCallArgumentsDeltaEvent(0, 1, ""), new ToolCallArgumentsDeltaEvent(0, 1, "{\"a\":1}")],
            [new FinishEvent(0, FinishReason.ToolCalls)],
        ]);
        var output = events[^1].GetProperty("response").GetProperty("output");
        Assert.Equal("reasoning", output[0].GetProperty("type").GetString());
        Assert.Equal("sig-1", output[0].GetProperty("encrypted_content").GetString());
        Assert.Equal("Let me add.", output[0].GetProperty("summary")[0].GetProperty("text").GetString());
        Assert.Equal(("function_call", "{\"a\":1}", "toolu_1"), (output[1].GetProperty("type").GetString(),
            output[1].GetProperty("arguments").GetString(), output[1].GetProperty("call_id").GetString()));
        Assert.Single(events, e => e.GetProperty("type").GetString() == "response.function_call_arguments.delta");
    }
}
