namespace Switchboard.Translation.Canonical;

/// <summary>
/// Reasoning controls. Dialects express these differently: OpenAI by <see cref="Effort"/>, Anthropic by
/// <see cref="BudgetTokens"/> (<c>thinking.budget_tokens</c>), Gemini by either (<c>thinkingLevel</c>,
/// <c>thinkingBudget</c>). A writer uses what its dialect has and derives the other when only one is set
/// (see <see cref="ReasoningEfforts"/>).
/// </summary>
public sealed record ReasoningOptions
{
    /// <summary>Effort level as sent: one of <see cref="ReasoningEfforts"/> or a newer provider value.</summary>
    public string? Effort { get; init; }

    /// <summary>Token budget for thinking.</summary>
    public int? BudgetTokens { get; init; }

    /// <summary>False = reasoning explicitly off (Anthropic <c>disabled</c>, Gemini budget 0); null = not said.</summary>
    public bool? Enabled { get; init; }

    /// <summary>OpenAI Responses <c>reasoning.summary</c> (<c>auto</c>, <c>concise</c>, <c>detailed</c>); null = not said.</summary>
    public string? Summary { get; init; }
}

/// <summary>OpenAI effort levels, and the budget/effort correspondence writers use when translating.</summary>
public static class ReasoningEfforts
{
    public const string None = "none";
    public const string Minimal = "minimal";
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string XHigh = "xhigh";

    /// <summary>The effort level closest to a thinking budget (thresholds follow common gateway practice).</summary>
    public static string FromBudget(int budgetTokens) => budgetTokens switch
    {
        <= 0 => None,
        <= 2048 => Low,
        <= 8192 => Medium,
        _ => High,
    };

    /// <summary>A thinking budget for an effort level, or null for unknown levels and <c>none</c>.</summary>
    public static int? ToBudget(string effort) => effort switch
    {
        Minimal => 1024,
        Low => 2048,
        Medium => 8192,
        High => 24576,
        XHigh => 32768,
        _ => null,
    };
}
