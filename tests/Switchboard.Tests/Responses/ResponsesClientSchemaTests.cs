using System.Buffers;
using Switchboard.Providers.OpenAI.Responses;
using Switchboard.Translation.Canonical;
using CanonicalUsage = Switchboard.Translation.Canonical.Usage;

namespace Switchboard.Tests.Responses;

/// <summary>The Responses objects and stream events the gateway writes for clients conform to the official OpenAI
/// OpenAPI schemas (<c>Response</c>, <c>ResponseStreamEvent</c>).</summary>
public sealed class ResponsesClientSchemaTests
{
    private static ChatRequest Request() => ResponsesRequestReader.Read("""
        {"model":"m","instructions":"Be brief.","input":"x","tools":[{"type":"function","name":"add","parameters":{"type":"object"}},{"type":"custom","name":"apply_patch"},{"type":"web_search"}],
         "reasoning":{"effort":"low","summary":"auto"},"text":{"format":{"type":"json_schema","name":"o","schema":{"type":"object"},"strict":true}},
         "max_output_tokens":300,"store":false,"metadata":{"a":"b"},"tool_choice":"required"}
        """u8).Value!;

    private static readonly CanonicalUsage Usage = new() { PromptTokens = 20, CompletionTokens = 7, CachedPromptTokens = 8, ReasoningTokens = 3 };

    private static void AssertConforms(string schema, JsonElement json)
    {
        var errors = OpenApiSchema.Spec.Validate(schema, json);
        Assert.True(errors.Count == 0, $"{schema}: {string.Join("\n", errors)}\n{json}");
    }

    /// <summary>The schema of one event type (validating against the ResponseStreamEvent union names no culprit).</summary>
    private static string EventSchema(string type) => type switch
    {
        "error" => "ResponseErrorEvent",
        "response.created" => "ResponseCreatedEvent",
        "response.in_progress" => "ResponseInProgressEvent",
        "response.completed" => "ResponseCompletedEvent",
        "response.incomplete" => "ResponseIncompleteEvent",
        "response.failed" => "ResponseFailedEvent",
        "response.output_item.added" => "ResponseOutputItemAddedEvent",
        "response.output_item.done" => "ResponseOutputItemDoneEvent",
        "response.content_part.added" => "ResponseContentPartAddedEvent",
        "response.content_part.done" => "ResponseContentPartDoneEvent",
        "response.output_text.delta" => "ResponseTextDeltaEvent",
        "response.output_text.done" => "ResponseTextDoneEvent",
        "response.refusal.delta" => "ResponseRefusalDeltaEvent",
        "response.refusal.done" => "ResponseRefusalDoneEvent",
        "response.function_call_arguments.delta" => "ResponseFunctionCallArgumentsDeltaEvent",
        "response.function_call_arguments.done" => "ResponseFunctionCallArgumentsDoneEvent",
        "response.custom_tool_call_input.delta" => "ResponseCustomToolCallInputDeltaEvent",
        "response.custom_tool_call_input.done" => "ResponseCustomToolCallInputDoneEvent",
        "response.reasoning_summary_part.added" => "ResponseReasoningSummaryPartAddedEvent",
        "response.reasoning_summary_part.done" => "ResponseReasoningSummaryPartDoneEvent",
        "response.reasoning_summary_text.delta" => "ResponseReasoningSummaryTextDeltaEvent",
        "response.reasoning_summary_text.done" => "ResponseReasoningSummaryTextDoneEvent",
        _ => throw new InvalidOperationException($"unexpected event type {type}"),
    };

    [OpenApiSpecFact]
    public void Response_body_conforms()
    {
        foreach (var finish in new[] { FinishReason.ToolCalls, FinishReason.Length })
        {
            var response = new ChatResponse
            {
                Id = "chatcmpl-1",
                Model = "gpt-4o",
                Created = 1700000000,
                Choices = [new ChatChoice(0, new Message
                {
                    Role = ChatRole.Assistant,
                    Parts = [new ThinkingPart("Thinking.", "enc"), new TextPart("Sure."), new RefusalPart("No."),
                        new ToolCallPart("call_1", "add", "{}"), new ToolCallPart("call_2", "apply_patch", "{\"input\":\"p\"}")],
                }) { FinishReason = finish }],
                Usage = Usage,
            };
            AssertConforms("Response", JsonElement.Parse(ResponsesResponseWriter.WriteToUtf8Bytes(response, Request())));
        }
    }

    [OpenApiSpecFact]
    public void Every_stream_event_conforms()
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new ResponsesStreamWriter(Request()))
        {
            writer.Write([new StreamStartEvent("chatcmpl-1", "gpt-4o", 1700000000), new ThinkingDeltaEvent(0, "Hm."), new SignatureDeltaEvent(0, "enc")], output);
            writer.Write([new TextDeltaEvent(0, "Hi"), new RefusalDeltaEvent(0, "No.")], output);
            writer.Write([new ToolCallStartEvent(0, 0, "call_1", "add"), new ToolCallArgumentsDeltaEvent(0, 0, "{}")], output);
            writer.Write([new ToolCallStartEvent(0, 1, "call_2", "apply_patch"), new ToolCallArgumentsDeltaEvent(0, 1, "{\"input\":\"p\"}")], output);
            writer.Write([new FinishEvent(0, FinishReason.ToolCalls), new UsageEvent(Usage)], output);
            writer.Finish(output);
            var failing = new ResponsesStreamWriter(Request());
            failing.Write([new StreamStartEvent("chatcmpl-2", "gpt-4o", 1700000000), new StreamErrorEvent("boom") { Type = "server_error" }], output);
            failing.Dispose();
        }
        var frames = Encoding.UTF8.GetString(output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(frames.Length > 20);
        foreach (var frame in frames)
        {
            var data = JsonElement.Parse(frame.Split('\n')[1]["data: ".Length..]);
            AssertConforms(EventSchema(data.GetProperty("type").GetString()!), data);
            if (data.TryGetProperty("response", out var response))
            {
                AssertConforms("Response", response);
            }
        }
    }
}
