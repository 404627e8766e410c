namespace Switchboard.Usage;

/// <summary>Token counts as reported by an upstream (cached and reasoning tokens kept apart).</summary>
public readonly record struct TokenUsage(
    long PromptTokens,
    long CompletionTokens,
    long TotalTokens,
    long CachedPromptTokens,
    long ReasoningTokens)
{
    /// <summary>True when the upstream reported anything at all.</summary>
    public bool IsReported => PromptTokens > 0 || CompletionTokens > 0 || TotalTokens > 0;
}
