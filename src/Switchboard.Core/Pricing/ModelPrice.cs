using Switchboard.Usage;

namespace Switchboard.Pricing;

/// <summary>
/// What one model costs, in USD per million tokens. Cached input (prompt-cache reads) and cache writes have their own
/// rates where the provider has them; without one, they cost the input rate. Money is <see cref="decimal"/>: no
/// binary rounding creeps into budgets.
/// </summary>
public sealed record ModelPrice(decimal InputPerMTok, decimal OutputPerMTok, decimal? CachedInputPerMTok = null, decimal? CacheWritePerMTok = null)
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// The cost of reported usage. <see cref="TokenUsage.PromptTokens"/> counts every input token, cache reads and
    /// writes included (OpenAI's accounting, which the translators normalise to), so the cached and written parts are
    /// taken out of it and priced at their own rates: each token is priced exactly once. Reasoning tokens are part of
    /// <see cref="TokenUsage.CompletionTokens"/> and so priced once, at the output rate.
    /// </summary>
    public decimal Cost(in TokenUsage usage)
    {
        var cached = Math.Clamp(usage.CachedPromptTokens, 0, Math.Max(0, usage.PromptTokens));
        var written = Math.Clamp(usage.CacheWritePromptTokens, 0, Math.Max(0, usage.PromptTokens - cached));
        var fresh = Math.Max(0, usage.PromptTokens - cached - written);
        var total = fresh * InputPerMTok
            + cached * (CachedInputPerMTok ?? InputPerMTok)
            + written * (CacheWritePerMTok ?? InputPerMTok)
            + Math.Max(0, usage.CompletionTokens) * OutputPerMTok;
        return total / PerMillion;
    }

    /// <summary>
    /// The most a request can cost before anything is known about caching: every prompt token at the dearest input
    /// rate (a cache write can cost more than a fresh token) and every output token at the output rate.
    /// </summary>
    public decimal WorstCase(long promptTokens, long outputTokens) =>
        (Math.Max(0, promptTokens) * MaxInputRate + Math.Max(0, outputTokens) * OutputPerMTok) / PerMillion;

    /// <summary>The highest rate an input token can be billed at.</summary>
    public decimal MaxInputRate => Math.Max(InputPerMTok, CacheWritePerMTok ?? InputPerMTok);
}
