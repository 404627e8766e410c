using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Auth;

/// <summary>
/// Compares a presented secret with the expected one so that the time taken tells nothing about either: both are
/// hashed (SHA-256) and the digests compared in constant time. Comparing the raw bytes would return at once on a
/// length mismatch and so reveal the expected secret's length.
/// </summary>
public static class SecretComparison
{
    /// <summary>Whether <paramref name="presented"/> equals <paramref name="expected"/> (false when either is null or empty).</summary>
    public static bool Matches(ReadOnlySpan<char> presented, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || presented.IsEmpty) return false;
        Span<byte> presentedDigest = stackalloc byte[SHA256.HashSizeInBytes];
        Digest(presented, presentedDigest);
        return CryptographicOperations.FixedTimeEquals(ExpectedDigest(expected), presentedDigest);
    }

    // The last expected secret's digest (the master key is checked on every request; it changes only on a reload).
    private static ExpectedSecret? _last;

    private static ReadOnlySpan<byte> ExpectedDigest(string expected)
    {
        var last = _last;
        if (last is not null && ReferenceEquals(last.Secret, expected)) return last.Digest;
        var digest = new byte[SHA256.HashSizeInBytes];
        Digest(expected, digest);
        _last = new ExpectedSecret(expected, digest);
        return digest;
    }

    private sealed record ExpectedSecret(string Secret, byte[] Digest);

    private static void Digest(ReadOnlySpan<char> secret, Span<byte> digest)
    {
        var length = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> buffer = rented is null ? stackalloc byte[512] : rented;
        try
        {
            var written = Encoding.UTF8.GetBytes(secret, buffer);
            SHA256.HashData(buffer[..written], digest);
            CryptographicOperations.ZeroMemory(buffer[..written]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
