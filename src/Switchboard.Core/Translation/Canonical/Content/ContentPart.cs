using System.Collections.Immutable;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// One piece of a message. The set is closed: <see cref="TextPart"/>, <see cref="ImagePart"/>,
/// <see cref="AudioPart"/>, <see cref="FilePart"/>, <see cref="RefusalPart"/>, <see cref="ThinkingPart"/>,
/// <see cref="RedactedThinkingPart"/>, <see cref="ToolCallPart"/>, <see cref="ToolResultPart"/>, and
/// <see cref="ProviderPart"/> for blocks with no neutral meaning (writers of other dialects skip it).
/// </summary>
public abstract record ContentPart
{
    /// <summary>Prompt-cache breakpoint set by the client on this part (Anthropic <c>cache_control</c>,
    /// also accepted on OpenAI-dialect parts as LiteLLM and OpenRouter do); null = none.</summary>
    public CacheControl? CacheControl { get; init; }

    /// <summary>Members of this part's wire block with no canonical field (Anthropic <c>citations</c> on
    /// text, a document's <c>context</c>, a <c>tool_use</c>'s <c>caller</c>), raw and in the terms of the
    /// document's source dialect, like <see cref="Message.Extensions"/>: only a writer of that dialect
    /// writes them back.</summary>
    public ImmutableArray<ExtensionField> Extensions { get; init; } = [];
}

/// <summary>
/// Marks the end of a cacheable prompt prefix. <see cref="Type"/> is <c>"ephemeral"</c> today;
/// <see cref="Ttl"/> is Anthropic's optional lifetime (<c>"5m"</c>, <c>"1h"</c>).
/// </summary>
public sealed record CacheControl(string Type, string? Ttl = null)
{
    public static CacheControl Ephemeral { get; } = new("ephemeral");
}
