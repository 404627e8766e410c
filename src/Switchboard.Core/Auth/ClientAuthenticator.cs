using Microsoft.AspNetCore.Http;
using Switchboard.Errors;

namespace Switchboard.Auth;

/// <summary>Decides who a request is from, against the current runtime's keys.</summary>
public static class ClientAuthenticator
{
    private static readonly GatewayError NoKey = GatewayError.InvalidApiKey(
        "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' (or x-api-key / api-key).");
    // Never echo any part of the presented secret.
    private static readonly GatewayError Revoked = GatewayError.InvalidApiKey("This API key has been revoked.");
    private static readonly GatewayError Incorrect = GatewayError.InvalidApiKey("Incorrect API key provided.");
    private static readonly GatewayError Expired = GatewayError.InvalidApiKey("This API key has expired.");

    /// <summary>
    /// The caller's identity, or the 401 to send. A known key is a synchronous in-memory lookup (the returned task is
    /// already complete); only a key the cache does not know, outside open mode, is looked up in the database.
    /// In open mode (config alone, see <see cref="IKeyAuthority.IsOpenMode"/>) a known key is still identified and a
    /// revoked or expired one refused; any other bearer, or none, is the anonymous user.
    /// </summary>
    public static ValueTask<(ClientIdentity? Identity, GatewayError? Error)> AuthenticateAsync(HttpRequest request, IKeyAuthority authority,
        TimeProvider time, CancellationToken cancellationToken) =>
        AuthenticateAsync(ApiKeyExtractor.Extract(request), authority, time, cancellationToken);

    /// <summary>As <see cref="AuthenticateAsync(HttpRequest, IKeyAuthority, TimeProvider, CancellationToken)"/>, for a key presented some other way (the console's sign-in form).</summary>
    public static ValueTask<(ClientIdentity? Identity, GatewayError? Error)> AuthenticateAsync(string? secret, IKeyAuthority authority,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var open = authority.IsOpenMode;
        if (string.IsNullOrEmpty(secret)) return new(open ? (ClientIdentity.Anonymous, null) : (null, NoKey));
        // A virtual key first: the cache lookup is a dictionary hit, while the master-key check hashes the secret.
        if (authority.Keys.TryFind(secret, out var identity)) return new(Unexpired(identity, time));
        if (IsMaster(secret, authority)) return new((MasterIdentity, null));
        if (authority.Keys.IsRevoked(secret)) return new((null, Revoked));
        if (open) return new((ClientIdentity.Anonymous, null));
        return LookUpUncachedAsync(secret, authority, time, cancellationToken);
    }

    private static async ValueTask<(ClientIdentity? Identity, GatewayError? Error)> LookUpUncachedAsync(string secret, IKeyAuthority authority,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var identity = await authority.Keys.FindUncachedAsync(secret, cancellationToken).ConfigureAwait(false);
        return identity is null ? (null, Incorrect) : Unexpired(identity, time);
    }

    private static (ClientIdentity? Identity, GatewayError? Error) Unexpired(ClientIdentity identity, TimeProvider time) =>
        identity.ExpiresAt is { } expires && expires <= time.GetUtcNow() ? (null, Expired) : (identity, null);

    /// <summary>The operator holding the master key may also call every model (as with LiteLLM's master key).</summary>
    private static readonly ClientIdentity MasterIdentity = new() { Name = "master" };

    /// <summary>
    /// Constant-time check of the master key for the admin API, taken from the headers only (never <c>?key=</c>: a URL
    /// is written to access logs and browser history).
    /// </summary>
    public static bool IsMasterKey(HttpRequest request, IKeyAuthority authority) => IsMaster(ApiKeyExtractor.ExtractFromHeaders(request), authority);

    /// <summary>Constant-time check of a presented key against the master key (false when none is configured).</summary>
    public static bool IsMaster(string? presented, IKeyAuthority authority) => SecretComparison.Matches(presented, authority.MasterKey);
}
