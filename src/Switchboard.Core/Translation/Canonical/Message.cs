using System.Collections.Immutable;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// One turn of the conversation: a role and its content parts in order. An assistant turn holds its
/// thinking, text, refusal and tool calls as parts (<see cref="ThinkingPart"/>, <see cref="TextPart"/>,
/// <see cref="RefusalPart"/>, <see cref="ToolCallPart"/>), in the order the model produced them where
/// the dialect tells (Anthropic, Gemini) and thinking, text, refusal, tool calls otherwise (OpenAI).
/// </summary>
public sealed record Message
{
    public required ChatRole Role { get; init; }

    public ImmutableArray<ContentPart> Parts { get; init; } = [];

    /// <summary>Participant name (OpenAI <c>name</c>); no meaning elsewhere.</summary>
    public string? Name { get; init; }

    /// <summary>How the dialect carried this message's content; see <see cref="ContentForm"/>.</summary>
    public ContentForm Form { get; init; }

    /// <summary>Message members with no canonical field, kept raw for a same-dialect writer (e.g. an
    /// assistant's <c>audio</c>, a tool message's <c>name</c>, DeepSeek's <c>prefix</c>).</summary>
    public ImmutableArray<ExtensionField> Extensions { get; init; } = [];

    /// <summary>A message with a single text part.</summary>
    public static Message FromText(ChatRole role, string text) =>
        new() { Role = role, Parts = [new TextPart(text)], Form = ContentForm.Text };
}
