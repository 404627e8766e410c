namespace Switchboard.Storage;

/// <summary>
/// What a text column stores, the same on SQLite and PostgreSQL: the string as given, except that NUL and unpaired
/// UTF-16 surrogates become U+FFFD (the Unicode replacement character). PostgreSQL's <c>text</c> refuses NUL
/// (<c>22021 invalid byte sequence for encoding "UTF8": 0x00</c>) and Npgsql cannot encode a lone surrogate as UTF-8;
/// SQLite would keep the NUL (and cut strings at it in some functions) and silently turn a lone surrogate into U+FFFD.
/// Replacing both here, before either backend sees them, means one request's odd model name can never stop a write,
/// and both backends hold the same text. Every parameter bound through
/// <see cref="DbCommandExtensions.With"/> and every ledger column goes through <see cref="Clean"/>.
/// </summary>
public static class StoredText
{
    public const char Replacement = '\uFFFD';

    /// <summary><paramref name="value"/> itself when it can be stored as is (no allocation), else a cleaned copy.</summary>
    public static string? Clean(string? value)
    {
        if (value is null) return null;
        var bad = FirstUnstorable(value);
        if (bad < 0) return value;
        return string.Create(value.Length, (value, bad), static (span, state) =>
        {
            var (source, start) = state;
            source.AsSpan(0, start).CopyTo(span);
            for (var i = start; i < source.Length; i++)
            {
                var c = source[i];
                if (c == '\0') span[i] = Replacement;
                else if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    span[i] = c;
                    span[i + 1] = source[i + 1];
                    i++;
                }
                else span[i] = char.IsSurrogate(c) ? Replacement : c;
            }
        });
    }

    /// <summary>True when <paramref name="value"/> holds nothing <see cref="Clean"/> would replace.</summary>
    public static bool IsStorable(string value) => FirstUnstorable(value) < 0;

    /// <summary>Index of the first NUL or unpaired surrogate, or -1.</summary>
    private static int FirstUnstorable(ReadOnlySpan<char> s)
    {
        var nul = s.IndexOf('\0');
        var end = nul < 0 ? s.Length : nul;
        // Most stored strings are ASCII: one vectorized scan says there is no surrogate before the end.
        var i = s[..end].IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0)
        {
            if (!char.IsHighSurrogate(s[i]) || i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return i;
            var next = s[(i + 2)..end].IndexOfAnyInRange('\uD800', '\uDFFF');
            i = next < 0 ? -1 : i + 2 + next;
        }
        return nul;
    }

    /// <summary>True for the characters an operator-given name must not contain (C0 and C1 controls, DEL).</summary>
    public static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c)) return true;
        }
        return false;
    }

    /// <summary>A name is acceptable when it has no control character (NUL included) and is valid UTF-16.</summary>
    public static bool IsValidName(string value) => !HasControlCharacter(value) && IsStorable(value);
}
