namespace Switchboard.Translation.Canonical;

/// <summary>
/// One piece of a message. The set is closed: <see cref="TextPart"/>, <see cref="ImagePart"/>,
/// <see cref="AudioPart"/>, <see cref="FilePart"/>, <see cref="RefusalPart"/>, <see cref="ThinkingPart"/>,
/// <see cref="RedactedThinkingPart"/>, <see cref="ToolCallPart"/>, <see cref="ToolResultPart"/>.
/// </summary>
public abstract record ContentPart
{
    /// <summary>Prompt-cache breakpoint set by the client on this part (Anthropic <c>cache_control</c>,
    /// also accepted on OpenAI-dialect parts as LiteLLM and OpenRouter do); null = none.</summary>
    public CacheControl? CacheControl { get; init; }
}

/// <summary>
/// Marks the end of a cacheable prompt prefix. <see cref="Type"/> is <c>"ephemeral"</c> today;
/// <see cref="Ttl"/> is Anthropic's optional lifetime (<c>"5m"</c>, <c>"1h"</c>).
/// </summary>
public sealed record CacheControl(string Type, string? Ttl = null)
{
    public static CacheControl Ephemeral { get; } = new("ephemeral");
}
