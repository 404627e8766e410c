namespace Switchboard.Usage;

/// <summary>Token counts as reported by an upstream (cached and reasoning tokens kept apart).</summary>
public readonly record struct TokenUsage(
    long PromptTokens,
    long CompletionTokens,
    long TotalTokens,
    long CachedPromptTokens,
    long ReasoningTokens)
{
    /// <summary>Input tokens written to the prompt cache (Anthropic <c>cache_creation_input_tokens</c>): part of
    /// <see cref="PromptTokens"/>, priced at the cache-write rate where the provider has one.</summary>
    public long CacheWritePromptTokens { get; init; }

    /// <summary>Images an image operation produced, with the size and quality they are priced by; null for every other operation.</summary>
    public ImageUsage? Images { get; init; }

    /// <summary>True when the upstream reported anything at all.</summary>
    public bool IsReported => PromptTokens > 0 || CompletionTokens > 0 || TotalTokens > 0;
}
