namespace Switchboard.MockUpstream.Responses;

/// <summary>
/// The Responses API's own refusals. It words unknown members and missing ones differently from Chat Completions
/// (<c>Unknown parameter: 'input[3].status'.</c> with code <c>unknown_parameter</c>, where chat says
/// <c>Unrecognized request argument supplied</c>), and names nested members with their full path as <c>param</c>.
/// </summary>
internal static class ResponsesErrors
{
    public static ApiError UnknownParameter(string param) => OpenAIErrors.Invalid($"Unknown parameter: '{param}'.", param, "unknown_parameter");

    /// <summary>A function_call_output (or custom_tool_call_output) whose call_id no earlier call in the input has.</summary>
    public static ApiError NoToolCall(string callId) =>
        OpenAIErrors.Invalid($"No tool call found for function call output with call_id {callId}.", "input");

    /// <summary>A function_call (or custom_tool_call) in the input that no output answers.</summary>
    public static ApiError NoToolOutput(string callId) =>
        OpenAIErrors.Invalid($"No tool output found for function call {callId}.", "input");

    public static ApiError ModelNotFound(string model) => new(400,
        $"The requested model '{model}' does not exist.", OpenAIErrors.InvalidRequest, "model", "model_not_found");

    public static ApiError JsonWordMissing() => OpenAIErrors.Invalid(
        "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.", "input");
}
