using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Switchboard.Config;

namespace Switchboard.Auth;

/// <summary>
/// Virtual keys indexed by the SHA-256 of their secret, so the secret itself is not kept as a lookup key
/// and the comparison cost does not depend on how much of a guess is right.
/// </summary>
public sealed class KeyStore
{
    private readonly FrozenDictionary<string, ClientIdentity> _byHash;

    public KeyStore(IEnumerable<KeyConfig> keys)
    {
        _byHash = keys.ToFrozenDictionary(k => Hash(k.Key), k => new ClientIdentity
        {
            Name = k.Name,
            AllowedModels = k.Models is { } models ? models.ToFrozenSet(StringComparer.Ordinal) : null,
            Team = k.Team,
            ExpiresAt = k.ExpiresAt,
        }, StringComparer.Ordinal);
    }

    public int Count => _byHash.Count;

    public bool TryFind(string secret, out ClientIdentity identity) =>
        _byHash.TryGetValue(Hash(secret), out identity!);

    /// <summary>Hex SHA-256 of the secret: how keys are stored and looked up.</summary>
    public static string Hash(string secret)
    {
        Span<byte> digest = stackalloc byte[32];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? rented = null;
        var utf8 = maxBytes <= 512 ? stackalloc byte[maxBytes] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(maxBytes));
        var written = Encoding.UTF8.GetBytes(secret, utf8);
        SHA256.HashData(utf8[..written], digest);
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        return Convert.ToHexStringLower(digest);
    }
}
