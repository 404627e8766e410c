namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// The Responses API's stream event <c>type</c>s and response statuses, as the API spells them (item, content part and
/// tool types are in <see cref="ResponsesItemTypes"/>).
/// </summary>
internal static class ResponsesEventTypes
{
    // Stream events (the data's "type"; the SSE "event:" line repeats it).
    public const string Created = "response.created";
    public const string InProgress = "response.in_progress";
    public const string Completed = "response.completed";
    public const string Incomplete = "response.incomplete";
    public const string Failed = "response.failed";
    public const string Error = "error";
    public const string OutputItemAdded = "response.output_item.added";
    public const string OutputItemDone = "response.output_item.done";
    public const string ContentPartAdded = "response.content_part.added";
    public const string ContentPartDone = "response.content_part.done";
    public const string OutputTextDelta = "response.output_text.delta";
    public const string OutputTextDone = "response.output_text.done";
    public const string RefusalDelta = "response.refusal.delta";
    public const string RefusalDone = "response.refusal.done";
    public const string FunctionCallArgumentsDelta = "response.function_call_arguments.delta";
    public const string FunctionCallArgumentsDone = "response.function_call_arguments.done";
    public const string CustomToolCallInputDelta = "response.custom_tool_call_input.delta";
    public const string CustomToolCallInputDone = "response.custom_tool_call_input.done";
    public const string ReasoningSummaryPartAdded = "response.reasoning_summary_part.added";
    public const string ReasoningSummaryPartDone = "response.reasoning_summary_part.done";
    public const string ReasoningSummaryTextDelta = "response.reasoning_summary_text.delta";
    public const string ReasoningSummaryTextDone = "response.reasoning_summary_text.done";
    public const string ReasoningTextDelta = "response.reasoning_text.delta";

    // Response statuses and incomplete reasons.
    public const string StatusCompleted = "completed";
    public const string StatusIncomplete = "incomplete";
    public const string StatusFailed = "failed";
    public const string MaxOutputTokens = "max_output_tokens";
    public const string ContentFilter = "content_filter";
}
