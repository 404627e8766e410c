namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// The Responses API names the upstream side reads and writes: stream event <c>type</c>s, output item types, content
/// part types and response statuses, as the API spells them.
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
    public const string OutputTextDelta = "response.output_text.delta";
    public const string RefusalDelta = "response.refusal.delta";
    public const string FunctionCallArgumentsDelta = "response.function_call_arguments.delta";
    public const string CustomToolCallInputDelta = "response.custom_tool_call_input.delta";
    public const string ReasoningSummaryPartAdded = "response.reasoning_summary_part.added";
    public const string ReasoningSummaryTextDelta = "response.reasoning_summary_text.delta";
    public const string ReasoningTextDelta = "response.reasoning_text.delta";

    // Output and input item types.
    public const string Message = "message";
    public const string FunctionCall = "function_call";
    public const string FunctionCallOutput = "function_call_output";
    public const string CustomToolCall = "custom_tool_call";
    public const string CustomToolCallOutput = "custom_tool_call_output";
    public const string Reasoning = "reasoning";

    // Content parts.
    public const string OutputText = "output_text";
    public const string Refusal = "refusal";
    public const string InputText = "input_text";
    public const string InputImage = "input_image";
    public const string InputFile = "input_file";
    public const string SummaryText = "summary_text";
    public const string ReasoningText = "reasoning_text";

    // Response statuses and incomplete reasons.
    public const string StatusCompleted = "completed";
    public const string StatusIncomplete = "incomplete";
    public const string StatusFailed = "failed";
    public const string MaxOutputTokens = "max_output_tokens";
    public const string ContentFilter = "content_filter";
}
