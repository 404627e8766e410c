using System.Collections.Immutable;
using System.Globalization;
using Switchboard.Storage;

namespace Switchboard.Admin;

/// <summary>
/// What a key's or team's fields may hold, whoever writes them: the admin API's JSON (<see cref="AdminBody"/>) and the
/// console's forms apply these same rules, each wording its errors for its own readers.
/// </summary>
public static class AdminFieldRules
{
    public const int MaxTextLength = 200;

    /// <summary>The highest budget accepted, in USD.</summary>
    public const decimal MaxBudgetUsd = 1_000_000_000m;

    /// <summary>Why a name is refused: what <see cref="StoredText.IsValidName"/> checks.</summary>
    public const string NameRule = "must be text without control characters (such as NUL) or unpaired surrogates";

    /// <summary>What is wrong with a name or team (already trimmed), or null when it may be stored.</summary>
    public static string? TextProblem(string text) =>
        text.Length == 0 ? "must not be empty"
        : text.Length > MaxTextLength ? $"is longer than {MaxTextLength} characters"
        : !StoredText.IsValidName(text) ? NameRule
        : null;

    /// <summary>rpm, tpm and max_parallel: a whole number of at least 1.</summary>
    public static bool IsValidLimit(int value) => value >= 1;

    public static bool IsValidBudget(decimal usd) => usd is >= 0 and <= MaxBudgetUsd;

    /// <summary>An ISO-8601 time; without an offset it is UTC.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>The models, each once in the order given; the first unknown one makes it an error (its name returned).</summary>
    public static ImmutableArray<string> DistinctModels(IEnumerable<string> names, Func<string, bool> exists, out string? unknown)
    {
        var models = ImmutableArray.CreateBuilder<string>();
        unknown = null;
        foreach (var model in names)
        {
            if (!exists(model))
            {
                unknown = model;
                return [];
            }
            if (!models.Contains(model)) models.Add(model);
        }
        return models.ToImmutable();
    }
}
