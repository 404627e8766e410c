using System.Collections.Immutable;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// The result of a tool call, matched by <see cref="ToolCallId"/> (null for OpenAI legacy
/// <c>function</c> messages, which match by name). <see cref="Name"/> is the called function's name when
/// known: readers fill it from the matching earlier <see cref="ToolCallPart"/> because Gemini's
/// <c>functionResponse</c> needs it. <see cref="IsError"/> is Anthropic's <c>is_error</c>.
/// </summary>
public sealed record ToolResultPart(string? ToolCallId) : ContentPart
{
    public string? Name { get; init; }

    public ImmutableArray<ContentPart> Content { get; init; } = [];

    public bool IsError { get; init; }

    /// <summary>How the result's content travelled; see <see cref="ContentForm"/>.</summary>
    public ContentForm Form { get; init; }
}
