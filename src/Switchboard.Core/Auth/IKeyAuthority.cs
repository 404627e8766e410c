namespace Switchboard.Auth;

/// <summary>
/// What <see cref="ClientAuthenticator"/> checks a presented key against: the virtual keys, the master key and whether
/// the gateway runs in single-user open mode. Implemented by the gateway runtime.
/// </summary>
public interface IKeyAuthority
{
    IKeyLookup Keys { get; }

    /// <summary>The operator's master key; null or empty when none is configured.</summary>
    string? MasterKey { get; }

    /// <summary>
    /// Single-user local mode: a bearer that is not a known key is accepted as the anonymous user (a known key is
    /// still identified, a revoked or expired one still refused).
    /// </summary>
    bool IsOpenMode { get; }
}
