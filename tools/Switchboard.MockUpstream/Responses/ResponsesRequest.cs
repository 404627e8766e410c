using System.Text.Json;

namespace Switchboard.MockUpstream.Responses;

/// <summary>
/// A validated <c>POST /v1/responses</c> request. The conversation, tools and limits are held as a
/// <see cref="ChatRequest"/> so the chat generator answers both APIs the same way (echo, tool call, tool result,
/// schema sample); the rest is what the response object echoes back. JsonElements point into the request's document.
/// </summary>
internal sealed class ResponsesRequest
{
    public required ChatRequest Chat { get; init; }

    public bool Stream => Chat.Stream;

    /// <summary>Number of function_call_output / custom_tool_call_output items in the input (picks a recorded turn).</summary>
    public int ToolOutputs { get; set; }

    public string? PreviousResponseId { get; set; }

    /// <summary><c>background: true</c>: a non-streamed answer is the queued response, as the API answers at once.</summary>
    public bool Background { get; set; }

    /// <summary>The instructions as sent (echoed in the response object).</summary>
    public JsonElement? Instructions { get; set; }

    /// <summary>The tools array as sent (echoed in the response object).</summary>
    public JsonElement? Tools { get; set; }

    /// <summary>tool_choice as sent; absent means auto.</summary>
    public JsonElement? ToolChoice { get; set; }

    /// <summary>The text object (format, verbosity) as sent.</summary>
    public JsonElement? Text { get; set; }

    /// <summary>The reasoning object (effort, summary) as sent.</summary>
    public JsonElement? Reasoning { get; set; }

    /// <summary>metadata as sent; absent means {}.</summary>
    public JsonElement? Metadata { get; set; }

    public double Temperature { get; set; } = 1;

    public double TopP { get; set; } = 1;

    public bool Store { get; set; } = true;

    /// <summary>Names of the declared custom (freeform) tools.</summary>
    public List<string> CustomTools { get; } = [];
}
