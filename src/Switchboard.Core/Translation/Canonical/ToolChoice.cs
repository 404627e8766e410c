using System.Text.Json;

namespace Switchboard.Translation.Canonical;

/// <summary>How the model must use the offered tools.</summary>
public enum ToolChoiceMode
{
    /// <summary>The model decides (OpenAI <c>auto</c>, Anthropic <c>auto</c>, Gemini <c>AUTO</c>).</summary>
    Auto,
    /// <summary>No tool calls (OpenAI <c>none</c>, Anthropic <c>none</c>, Gemini <c>NONE</c>).</summary>
    None,
    /// <summary>At least one tool call (OpenAI <c>required</c>, Anthropic <c>any</c>, Gemini <c>ANY</c>).</summary>
    Required,
    /// <summary>Call the tool named <see cref="ToolChoice.Name"/> (Anthropic <c>tool</c>, Gemini <c>ANY</c> + allowed names).</summary>
    Named,
    /// <summary>A form with no neutral meaning (OpenAI <c>allowed_tools</c>, custom tool choice), kept in <see cref="ToolChoice.Raw"/>.</summary>
    Other,
}

/// <summary>Tool choice: a <see cref="ToolChoiceMode"/>, the tool name for <see cref="ToolChoiceMode.Named"/>,
/// and the raw wire value for <see cref="ToolChoiceMode.Other"/>.</summary>
public sealed record ToolChoice(ToolChoiceMode Mode, string? Name = null, JsonElement? Raw = null)
{
    public static ToolChoice Auto { get; } = new(ToolChoiceMode.Auto);

    public static ToolChoice None { get; } = new(ToolChoiceMode.None);

    public static ToolChoice Required { get; } = new(ToolChoiceMode.Required);

    public static ToolChoice Function(string name) => new(ToolChoiceMode.Named, name);
}
