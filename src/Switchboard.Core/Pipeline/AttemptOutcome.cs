using Switchboard.Errors;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>How one upstream attempt ended.</summary>
public enum AttemptResult
{
    /// <summary>The client got a complete answer.</summary>
    Completed,
    /// <summary>Failed before anything reached the client: another deployment may still answer invisibly.</summary>
    FailedBeforeStart,
    /// <summary>Failed after bytes reached the client: the client got an error event; nothing more can be done.</summary>
    FailedAfterStart,
    /// <summary>The client went away; the upstream request was cancelled.</summary>
    ClientGone,
}

/// <summary>The result of one attempt, with whatever usage and timing it produced.</summary>
public readonly record struct AttemptOutcome(AttemptResult Result, GatewayError? Error, TokenUsage Usage, bool UsageReported, long? FirstByteTimestamp)
{
    /// <summary>The request fields adapted or left out for this upstream, comma-separated (see
    /// <see cref="Providers.RequestAdjustments"/>); null when none.</summary>
    public string? Adjusted { get; init; }
    /// <summary>What the answer is billed by besides tokens (audio operations); default: tokens only.</summary>
    public MeteredUnits Units { get; init; }

    public static AttemptOutcome Failed(GatewayError error) => new(AttemptResult.FailedBeforeStart, error, default, false, null);
}
