using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// JSON mode over the Messages API, which has none in its stable form: the request offers one more tool
/// whose <c>input_schema</c> is the wanted schema (<c>{"type":"object"}</c> for json_object) and forces it
/// with <c>tool_choice: {"type":"tool"}</c>; the model's call of that tool is the answer. Readers given
/// <see cref="AnthropicReadOptions.JsonToolName"/> turn the call's <c>input</c> back into answer text and
/// its <c>tool_use</c> stop into a natural stop, so the client sees an ordinary JSON answer.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>With the client's own tools present, <c>tool_choice</c> becomes <c>any</c> (call a tool, or answer
/// through the JSON tool); a client's named choice is kept.</item>
/// <item>Anthropic refuses forced tool use together with thinking, and without the forced choice the model may
/// answer in plain text: JSON mode with thinking is refused (see <see cref="RequestPlan"/>).</item>
/// <item>Text the model writes besides the tool call is passed on as text (with the forced choice there
/// is none).</item>
/// </list>
/// </remarks>
public static class AnthropicJsonMode
{
    /// <summary>Default name of the answer tool.</summary>
    public const string DefaultToolName = "json_response";

    /// <summary>Whether the writer uses JSON mode for <paramref name="request"/>.</summary>
    public static bool IsUsedFor(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // An Anthropic client's own structured output (output_config.format) goes up as sent, not through the tool.
        return request.ResponseFormat?.Kind is ResponseFormatKind.JsonObject or ResponseFormatKind.JsonSchema
            && !AnthropicMessagesDialect.IsOwn(request.SourceDialect);
    }

    internal static string Description(ResponseFormat format) =>
        format.JsonSchema?.Description
        ?? (format.JsonSchema is { } schema
            ? $"Respond with the final answer ({schema.Name}) as this tool's input."
            : "Respond with the final answer, a JSON object, as this tool's input.");
}
