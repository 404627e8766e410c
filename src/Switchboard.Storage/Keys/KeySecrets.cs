using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Storage.Keys;

/// <summary>Generates virtual-key secrets and derives what is stored instead of them (hash, display prefix).</summary>
public static class KeySecrets
{
    public const string Prefix = "sk-sb-";

    /// <summary><c>sk-sb-</c> + 40 URL-safe characters (240 random bits).</summary>
    public static string Generate()
    {
        Span<byte> random = stackalloc byte[30];
        RandomNumberGenerator.Fill(random);
        return Prefix + Base64Url.EncodeToString(random);
    }

    /// <summary>Lowercase hex SHA-256 of the secret's UTF-8 bytes: all the database ever holds.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// A short, non-identifying start of the secret for listings (<c>sk-sb-abcd…</c>): 4 characters after the
    /// <c>sk-sb-</c> prefix; for other (config-file) secrets at most a quarter of the secret, and never more than 4.
    /// </summary>
    public static string DisplayPrefix(string secret)
    {
        if (secret.StartsWith(Prefix, StringComparison.Ordinal) && secret.Length >= Prefix.Length + 16)
        {
            return secret[..(Prefix.Length + 4)] + "…";
        }
        return secret[..Math.Min(4, secret.Length / 4)] + "…";
    }

    /// <summary>New key ids: <c>key_</c> + 16 hex characters.</summary>
    public static string NewKeyId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Config-file keys get a stable id from their name, so a restart upserts the same row.</summary>
    public static string ConfigKeyId(string name) =>
        "key_cfg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12];
}
