using System.Text.Json;

namespace Switchboard.MockUpstream;

/// <summary>One message of a validated request, reduced to what the generator and token counter need.</summary>
internal sealed class ChatMessageInfo(string role)
{
    public string Role { get; } = role;

    /// <summary>Text parts joined with a space (images are counted, not described).</summary>
    public string Text { get; set; } = "";

    /// <summary>Characters of text the prompt-token estimate is based on (parts, tool-call names and arguments).</summary>
    public int TextChars { get; set; }

    public int ImageCount { get; set; }

    public string? ToolCallId { get; set; }

    public List<string>? ToolCallIds { get; set; }
}

internal sealed record ToolInfo(string Name, JsonElement? Parameters);

internal enum ToolChoiceMode
{
    Auto,
    None,
    Required,
    Named,
}

internal enum ResponseFormatKind
{
    Text,
    JsonObject,
    JsonSchema,
}

/// <summary>
/// A validated chat completion request. JsonElement members point into the request's JsonDocument, which the
/// endpoint keeps alive until the answer has been generated.
/// </summary>
internal sealed class ChatRequest
{
    public required string Model { get; init; }

    public List<ChatMessageInfo> Messages { get; } = [];

    /// <summary>Function tools in request order (custom tools are accepted but never called by the mock).</summary>
    public List<ToolInfo> Tools { get; } = [];

    public bool Stream { get; set; }

    public bool IncludeUsage { get; set; }

    public int N { get; set; } = 1;

    public bool Logprobs { get; set; }

    public int TopLogprobs { get; set; }

    /// <summary>max_completion_tokens, else max_tokens; null when neither is set.</summary>
    public int? MaxTokens { get; set; }

    public ToolChoiceMode ToolChoice { get; set; } = ToolChoiceMode.Auto;

    public string? NamedTool { get; set; }

    public bool ParallelToolCalls { get; set; } = true;

    public ResponseFormatKind ResponseFormat { get; set; } = ResponseFormatKind.Text;

    public JsonElement? JsonSchema { get; set; }
}
