using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Switchboard.Config;
using Switchboard.Limits;

namespace Switchboard.Auth;

/// <summary>
/// Virtual keys defined in the config file. Those secrets are already in memory as plain text (they came from the
/// file), so they are looked up by value with an ordinal hash table, without hashing every presented key with SHA-256.
/// Keys stored elsewhere (the database, from the limits issue on) are kept only as hashes.
/// </summary>
public sealed class KeyStore : IKeyLookup
{
    private readonly FrozenDictionary<string, ClientIdentity> _bySecret;

    public KeyStore(IEnumerable<KeyConfig> keys)
    {
        _bySecret = keys.ToFrozenDictionary(k => k.Key, k => new ClientIdentity
        {
            Name = k.Name,
            KeyId = k.Name,
            Limits = k.Limits.OrNullIfUnlimited,
            AllowedModels = k.Models is { } models ? models.ToFrozenSet(StringComparer.Ordinal) : null,
            Team = k.Team,
            ExpiresAt = k.ExpiresAt,
        }, StringComparer.Ordinal);
    }

    public int Count => _bySecret.Count;

    public bool TryFind(string secret, [NotNullWhen(true)] out ClientIdentity? identity) => _bySecret.TryGetValue(secret, out identity);

    public bool IsRevoked(string secret) => false;

    /// <summary>The config file's keys are all in memory: there is nothing behind them to ask.</summary>
    public ValueTask<ClientIdentity?> FindUncachedAsync(string secret, CancellationToken cancellationToken) => default;
}
