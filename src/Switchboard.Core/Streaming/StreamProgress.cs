using Switchboard.Errors;
using Switchboard.Providers;
using Switchboard.Translation.Canonical;
using Switchboard.Usage;

namespace Switchboard.Streaming;

/// <summary>What one relayed stream has produced so far: whether the client got bytes, the usage, the failure.</summary>
public struct StreamProgress
{
    /// <summary>True once the response started (bytes may have reached the client); set by the relay only.</summary>
    public bool Started { get; set; }

    public TokenUsage Usage { get; private set; }

    public bool UsageReported { get; private set; }

    /// <summary>Why the stream failed; the relay stops reading as soon as this is set.</summary>
    public GatewayError? Failure { get; set; }

    public void SetUsage(TokenUsage usage)
    {
        Usage = usage;
        UsageReported = true;
    }

    /// <summary>Takes usage and the first reported error out of a batch of canonical events.</summary>
    public void Take(List<StreamEvent> events, UpstreamProvider provider)
    {
        foreach (var e in events)
        {
            if (e is UsageEvent u) SetUsage(UsageConversion.ToTokenUsage(u.Usage));
            else if (e is StreamErrorEvent error && Failure is null) Failure = StreamFailures.Reported(provider, error.Code ?? error.Type, error.Message);
        }
    }
}
