using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Auth;

/// <summary>
/// Finds the identity behind a presented virtual key, in memory (never a database round trip on the request path).
/// Implemented by <see cref="KeyStore"/> (config keys only) and by the storage layer's cached key directory.
/// </summary>
public interface IKeyLookup
{
    /// <summary>
    /// True when an active key is known: then an unknown bearer is refused even without a master key. Revoked keys
    /// alone do not count (with no master key and no active key nobody could authenticate; that is open mode).
    /// </summary>
    bool HasKeys { get; }

    /// <summary>Finds an active (not revoked) key. Expiry is checked by the caller.</summary>
    bool TryFind(string secret, [NotNullWhen(true)] out ClientIdentity? identity);

    /// <summary>True when <paramref name="secret"/> belongs to a revoked key (only asked after <see cref="TryFind"/> failed).</summary>
    bool IsRevoked(string secret);
}
