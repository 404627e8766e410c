using System.Globalization;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Telemetry;

namespace Switchboard.Limits;

/// <summary>The refusals of admission control, worded and typed as OpenAI words and types its own (CONTRACT §3).</summary>
internal static class LimitErrors
{
    public static GatewayError For(LimitRefusal refusal, LimitScope scope, string subject, LimitSettings limits, in CounterSnapshot state,
        in AdmissionEstimate estimate, DateTimeOffset now, BudgetWindow period)
    {
        LimitMetrics.Refused(refusal, scope);
        var who = scope == LimitScope.Key ? $"key `{subject}`" : $"team `{subject}`";
        // Clamped to one window: with shared counters the window may have been opened by a request whose clock read was a
        // few milliseconds later than this one's.
        var reset = TimeSpan.FromMilliseconds(Math.Clamp(state.WindowEndMs - now.ToUnixTimeMilliseconds(), 0, LimitCounters.WindowMs));
        switch (refusal)
        {
            case LimitRefusal.Requests:
                return RateLimit("requests",
                    $"Rate limit reached for requests per minute (RPM) on {who}: Limit {limits.Rpm}, Used {state.RequestsUsed}, Requested 1. Please try again in {GoDuration.Format(reset)}.",
                    reset);
            case LimitRefusal.Tokens:
                return RateLimit("tokens",
                    $"Rate limit reached for tokens per minute (TPM) on {who}: Limit {limits.Tpm}, Used {state.TokensUsed}, Requested {Math.Min(estimate.Tokens, limits.Tpm ?? estimate.Tokens)} ({estimate.Describe()}). Please try again in {GoDuration.Format(reset)}.",
                    reset);
            case LimitRefusal.Parallel:
                return RateLimit("requests",
                    $"Too many parallel requests on {who}: Limit {limits.MaxParallel} in flight at once. Please retry when one of them has finished.",
                    TimeSpan.FromSeconds(1));
            default:
                return Budget(who, limits, state, estimate, period);
        }
    }

    public static GatewayError Unpriced(string model, string deployment, LimitScope scope, string subject)
    {
        LimitMetrics.RefusedUnpriced(scope);
        return new(403, "invalid_request_error", "model_not_priced",
            $"The model `{model}` can be served by `{deployment}`, which has no known price, and {(scope == LimitScope.Key ? "key" : "team")} `{subject}` has a budget: " +
            "a request there could not be charged. Set input_per_mtok and output_per_mtok on that deployment (0 for a free local model; " +
            "audio models: input_per_mchar or per_second).",
            ErrorDisposition.ClientFault, "model");
    }

    /// <summary>
    /// A budget refusal names its cause: the budget is spent, or what is left (after the reservations of requests in
    /// flight) is less than this request's expected (strict mode: worst-case) cost, with the numbers.
    /// </summary>
    private static GatewayError Budget(string who, LimitSettings limits, in CounterSnapshot state, in AdmissionEstimate estimate, BudgetWindow period)
    {
        var budget = limits.BudgetUsd ?? 0;
        var when = period.End is { } end ? $" The {limits.BudgetPeriod.Name()} budget resets at {end.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}." : "";
        string message;
        if (state.Spent >= budget)
        {
            message = $"The budget of {who} is exhausted: spent ${Money(state.Spent)} of ${Money(budget)}.{when}";
        }
        else
        {
            var remaining = Math.Max(0, budget - state.Spent - state.Reserved);
            var inFlight = state.Reserved > 0 ? $", ${Money(state.Reserved)} reserved by requests in flight" : "";
            var kind = estimate.Strict ? "worst-case" : "expected";
            var retry = state.Reserved > 0 && estimate.Cost <= budget - state.Spent ? " Retry when requests in flight have finished." : "";
            message = $"The budget of {who} cannot cover this request: spent ${Money(state.Spent)} of ${Money(budget)}{inFlight}; " +
                $"this request's {kind} cost ${Money(estimate.Cost)} ({estimate.Describe()}) exceeds the remaining ${Money(remaining)}.{retry}{when}";
        }
        return new GatewayError(429, "insufficient_quota", "insufficient_quota", message, ErrorDisposition.ClientFault);
    }

    private static GatewayError RateLimit(string type, string message, TimeSpan retryAfter) =>
        new(429, type, "rate_limit_exceeded", message, ErrorDisposition.ClientFault) { RetryAfter = retryAfter };

    private static string Money(decimal amount) => amount.ToString("0.########", CultureInfo.InvariantCulture);
}
