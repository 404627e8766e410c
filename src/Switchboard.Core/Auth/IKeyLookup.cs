using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Auth;

/// <summary>
/// Finds the identity behind a presented virtual key. A known key is found in memory (<see cref="TryFind"/>: never a
/// database round trip on the request path); only a key the cache does not know may be asked of the store behind it
/// (<see cref="FindUncachedAsync"/>). Implemented by <see cref="KeyStore"/> (config keys only) and by the storage
/// layer's cached key directory.
/// </summary>
public interface IKeyLookup
{
    /// <summary>Finds an active (not revoked) key in memory. Expiry is checked by the caller.</summary>
    bool TryFind(string secret, [NotNullWhen(true)] out ClientIdentity? identity);

    /// <summary>True when <paramref name="secret"/> belongs to a revoked key (only asked after <see cref="TryFind"/> failed).</summary>
    bool IsRevoked(string secret);

    /// <summary>
    /// A key neither <see cref="TryFind"/> nor <see cref="IsRevoked"/> knows: the store behind the cache may hold one
    /// created since the cache was loaded (e.g. by another replica). Null when it is unknown, revoked, or the lookup
    /// is declined (rate limit, store unreachable). Expiry is checked by the caller.
    /// </summary>
    ValueTask<ClientIdentity?> FindUncachedAsync(string secret, CancellationToken cancellationToken);
}
