using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Switchboard.Translation.Json;

/// <summary>
/// Checks that a JSON text is valid Unicode before anything decodes it: valid UTF-8 (RFC 8259 §8.1) and no
/// <c>\uXXXX</c> escape naming half of a surrogate pair on its own. System.Text.Json tokenizes both happily but
/// throws <see cref="InvalidOperationException"/> the moment a string is read (<c>GetString</c>), which surfaced as
/// the gateway's own 500 on translated paths and admin bodies. Refusing such a body up front makes it a 400 on every
/// path, whichever deployment would have served it.
/// </summary>
/// <remarks>
/// The escape scan is hand-written because System.Text.Json offers no "validate strings" pass short of reading every
/// string (a second full tokenization of every body on the passthrough path); <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, T)"/>
/// over backslashes and <see cref="Utf8.IsValid"/> are vectorized, so the check costs a fraction of reading the body.
/// </remarks>
public static class JsonTextCheck
{
    /// <summary>Null when <paramref name="utf8Json"/> is valid UTF-8 without lone surrogate escapes; else why not.</summary>
    public static ValidationError? Check(ReadOnlySpan<byte> utf8Json)
    {
        if (!Utf8.IsValid(utf8Json))
        {
            return new ValidationError(null,
                $"request body is not valid UTF-8 (invalid byte sequence at byte {FirstInvalidUtf8(utf8Json)}); JSON text must be UTF-8",
                ValidationError.InvalidJson);
        }
        var offset = 0;
        while (true)
        {
            var found = utf8Json[offset..].IndexOf((byte)'\\');
            if (found < 0) return null;
            var at = offset + found;
            // Outside strings a backslash is a syntax error the parser reports; inside, it starts a two-byte escape or \uXXXX.
            if (at + 1 >= utf8Json.Length) return null;
            if (utf8Json[at + 1] != (byte)'u' || !TryHex(utf8Json, at + 2, out var unit))
            {
                offset = at + 2;
                continue;
            }
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                // A high surrogate must be followed at once by an escaped low one.
                if (at + 7 < utf8Json.Length && utf8Json[at + 6] == (byte)'\\' && utf8Json[at + 7] == (byte)'u'
                    && TryHex(utf8Json, at + 8, out var low) && low is >= 0xDC00 and <= 0xDFFF)
                {
                    offset = at + 12;
                    continue;
                }
                return LoneSurrogate(unit, at);
            }
            if (unit is >= 0xDC00 and <= 0xDFFF) return LoneSurrogate(unit, at);
            offset = at + 6;
        }
    }

    private static ValidationError LoneSurrogate(int unit, int at) => new(null,
        $"request body contains a lone UTF-16 surrogate escape (\\u{unit.ToString("x4", CultureInfo.InvariantCulture)} at byte {at}); "
        + "JSON strings must be valid Unicode (a surrogate escape needs its pair)",
        ValidationError.InvalidJson);

    private static bool TryHex(ReadOnlySpan<byte> text, int start, out int value)
    {
        value = 0;
        if (start + 4 > text.Length) return false;
        foreach (var b in text.Slice(start, 4))
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0) return false;
            value = (value << 4) | digit;
        }
        return true;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> text)
    {
        var at = 0;
        while (at < text.Length)
        {
            if (Rune.DecodeFromUtf8(text[at..], out _, out var consumed) != OperationStatus.Done) return at;
            at += consumed;
        }
        return at;
    }
}
