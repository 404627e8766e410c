namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>The <c>type</c> values of Responses API input and output items, content parts and tools.</summary>
public static class ResponsesItemTypes
{
    public const string Message = "message";
    public const string FunctionCall = "function_call";
    public const string FunctionCallOutput = "function_call_output";
    public const string CustomToolCall = "custom_tool_call";
    public const string CustomToolCallOutput = "custom_tool_call_output";
    public const string Reasoning = "reasoning";
    public const string SummaryText = "summary_text";
    public const string ReasoningText = "reasoning_text";

    public const string InputText = "input_text";
    public const string OutputText = "output_text";
    public const string InputImage = "input_image";
    public const string InputFile = "input_file";
    public const string Refusal = "refusal";

    public const string FunctionTool = "function";
    public const string CustomTool = "custom";
    public const string NamespaceTool = "namespace";

    /// <summary>Items of hosted tools and other server-side features: kept raw (a <c>ProviderPart</c>) so a
    /// Responses upstream gets them back; writers of other dialects leave them out.</summary>
    public static bool IsHostedItem(string type) => type is "web_search_call" or "file_search_call" or "computer_call"
        or "computer_call_output" or "code_interpreter_call" or "image_generation_call" or "local_shell_call"
        or "local_shell_call_output" or "shell_call" or "shell_call_output" or "apply_patch_call"
        or "apply_patch_call_output" or "mcp_list_tools" or "mcp_approval_request" or "mcp_approval_response"
        or "mcp_call" or "item_reference" or "compaction" or "tool_search_call" or "tool_search_output";
}
