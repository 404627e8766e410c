using Switchboard.Config;

namespace Switchboard.Limits;

/// <summary>
/// What admission reserves for one request against tpm and budgets, and says in a refusal: the prompt's tokens (as
/// the tokenizer counts them), the output tokens reserved and the cost of both at the dearest reachable rates.
/// Expected mode reserves min(max_tokens, <see cref="LimitPolicy.ExpectedOutputTokens"/>) of output; strict mode the
/// worst case, max_tokens or <see cref="LimitAdmissionControl.DefaultOutputReservation"/> without one.
/// </summary>
public readonly record struct AdmissionEstimate(long PromptTokens, long OutputTokens, decimal Cost, bool Strict, bool MaxTokensSent)
{
    public long Tokens => PromptTokens + OutputTokens;

    public static AdmissionEstimate Of(LimitPolicy policy, long promptTokens, long? maxTokens)
    {
        var max = maxTokens is > 0 and { } sent ? sent : (long?)null;
        var strict = policy.BudgetMode == BudgetMode.Strict;
        var output = strict ? max ?? LimitAdmissionControl.DefaultOutputReservation : Math.Min(max ?? long.MaxValue, policy.ExpectedOutputTokens);
        return new AdmissionEstimate(promptTokens, output, 0, strict, max is not null);
    }

    /// <summary>"12 prompt tokens + 1024 expected output tokens", as a refusal states it.</summary>
    public string Describe()
    {
        var output = Strict
            ? MaxTokensSent ? "max_tokens" : $"default ({LimitAdmissionControl.DefaultOutputReservation}, no max_tokens sent)"
            : "expected";
        return $"{PromptTokens} prompt tokens + {OutputTokens} {output} output tokens";
    }
}
