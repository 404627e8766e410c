namespace Switchboard.Http;

/// <summary>
/// The ids the gateway makes for requests, responses, messages and tool calls: unique, not secret (a stored response
/// is found only with the key that made it), so their random part comes from <see cref="Random.Shared"/>.
/// <see cref="Guid.NewGuid"/> would read the kernel's random source once per id (a system call each, several per
/// translated answer) for a secrecy no id here needs.
/// </summary>
public static class WireIds
{
    /// <summary>
    /// <paramref name="prefix"/> and 32 hex digits, built in one allocation: 12 digits of the Unix time in milliseconds,
    /// then 80 random bits. Time first so that ids made one after another sort together: a table indexed on them (the
    /// usage ledger's request ids, the response store's ids) grows at its right edge instead of taking each new id at a
    /// random page (with random ids every row would dirty, and write to the WAL, a different index page).
    /// </summary>
    public static string TimeOrdered(string prefix) =>
        string.Create(prefix.Length + 32, (prefix, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), static (span, state) =>
        {
            var (prefix, ms) = state;
            prefix.CopyTo(span);
            Span<byte> bytes = stackalloc byte[16];
            for (var i = 5; i >= 0; i--, ms >>= 8) bytes[i] = (byte)ms;
            System.Random.Shared.NextBytes(bytes[6..]);
            Convert.TryToHexStringLower(bytes, span[prefix.Length..], out _);
        });

    /// <summary><paramref name="prefix"/> and <paramref name="hexDigits"/> random hex digits (an even number, at most 32).</summary>
    public static string Random(string prefix, int hexDigits) =>
        string.Create(prefix.Length + hexDigits, prefix, static (span, prefix) =>
        {
            prefix.CopyTo(span);
            var digits = span[prefix.Length..];
            Span<byte> bytes = stackalloc byte[digits.Length / 2];
            System.Random.Shared.NextBytes(bytes);
            Convert.TryToHexStringLower(bytes, digits, out _);
        });
}
