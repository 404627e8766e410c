using Switchboard.Translation.Canonical;

namespace Switchboard.Usage;

/// <summary>Canonical usage (nullable details) → the ledger's flat counts.</summary>
public static class UsageConversion
{
    public static TokenUsage ToTokenUsage(Translation.Canonical.Usage usage) => new(
        usage.PromptTokens,
        usage.CompletionTokens,
        usage.TotalTokens ?? usage.PromptTokens + usage.CompletionTokens,
        usage.CachedPromptTokens ?? 0,
        usage.ReasoningTokens ?? 0)
    {
        CacheWritePromptTokens = usage.CacheCreationPromptTokens ?? 0,
    };
}
