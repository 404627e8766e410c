namespace Switchboard.Translation.Canonical;

/// <summary>
/// Token counts, in OpenAI's accounting: <see cref="PromptTokens"/> is every input token including cache
/// reads and writes, and <see cref="CompletionTokens"/> every output token including reasoning. The
/// details are subsets of those totals and are kept apart (they are priced differently); null = not
/// reported, which is not the same as 0.
/// </summary>
/// <remarks>
/// Anthropic reports <c>input_tokens</c> without the cache: <c>PromptTokens = input_tokens +
/// cache_read_input_tokens + cache_creation_input_tokens</c>. Gemini reports <c>candidatesTokenCount</c>
/// without thoughts: <c>CompletionTokens = candidatesTokenCount + thoughtsTokenCount</c>, and
/// <c>promptTokenCount</c> already includes <c>cachedContentTokenCount</c>.
/// </remarks>
public sealed record Usage
{
    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    /// <summary>Reported total; use <see cref="Total"/> to read it with a fallback.</summary>
    public int? TotalTokens { get; init; }

    /// <summary>Input tokens served from the prompt cache (OpenAI <c>cached_tokens</c>, Anthropic
    /// <c>cache_read_input_tokens</c>, Gemini <c>cachedContentTokenCount</c>).</summary>
    public int? CachedPromptTokens { get; init; }

    /// <summary>Input tokens written to the prompt cache (Anthropic <c>cache_creation_input_tokens</c>,
    /// OpenAI <c>cache_write_tokens</c>).</summary>
    public int? CacheCreationPromptTokens { get; init; }

    /// <summary>Output tokens spent on reasoning (OpenAI <c>reasoning_tokens</c>, Gemini <c>thoughtsTokenCount</c>).</summary>
    public int? ReasoningTokens { get; init; }

    public int? AudioPromptTokens { get; init; }

    public int? AudioCompletionTokens { get; init; }

    /// <summary>OpenAI Predicted Outputs: prediction tokens that appeared in the completion.</summary>
    public int? AcceptedPredictionTokens { get; init; }

    /// <summary>OpenAI Predicted Outputs: prediction tokens that did not (still billed).</summary>
    public int? RejectedPredictionTokens { get; init; }

    /// <summary><see cref="TotalTokens"/> when reported, else prompt + completion.</summary>
    public int Total => TotalTokens ?? PromptTokens + CompletionTokens;
}
