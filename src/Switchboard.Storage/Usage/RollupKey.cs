namespace Switchboard.Storage.Usage;

/// <summary>
/// The text parts of a roll-up row's primary key (key id, team, model, provider) are cut to <see cref="MaxChars"/>
/// characters: the ledger stores any model name a client sent (a refused request is recorded too), but a PostgreSQL
/// B-tree entry must stay under about 2.7 KB, and one over it made the whole batch fail. Names longer than this are
/// never real model or team names; their rows are summed under the cut name, and a filter naming one reads the ledger.
/// </summary>
internal static class RollupKey
{
    public const int MaxChars = 128;

    /// <summary>At most <see cref="MaxChars"/> characters (Unicode code points, as SQL's SUBSTR counts them).</summary>
    public static string Clamp(string value)
    {
        if (value.Length <= MaxChars) return value;
        var end = 0;
        var count = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (count++ == MaxChars) break;
            end += rune.Utf16SequenceLength;
        }
        return value[..end];
    }

    /// <summary>True when a filter value is longer than any key part the roll-up keeps (so only the ledger can answer it).</summary>
    public static bool TooLong(string? value) => value is { Length: > MaxChars };

    /// <summary>The SQL for a key part cut as <see cref="Clamp"/> cuts it (SUBSTR works on both SQLite and PostgreSQL).</summary>
    public static string Sql(string expression) => $"SUBSTR({expression}, 1, {MaxChars})";
}
