namespace Switchboard.Limits;

/// <summary>When a budget starts over: never, or at each UTC calendar day or month.</summary>
public enum BudgetPeriod
{
    /// <summary>The budget never resets (written as null / omitted in config, database and API).</summary>
    Lifetime,
    Daily,
    Monthly,
}

/// <summary>
/// The one place a <see cref="BudgetPeriod"/> meets text: config files, the admin API, the CLI and the database all
/// use null for <see cref="BudgetPeriod.Lifetime"/> and "daily" / "monthly" for the others.
/// </summary>
public static class BudgetPeriods
{
    /// <summary>The names a resetting budget period may be given.</summary>
    public static readonly IReadOnlyList<string> Names = ["daily", "monthly"];

    /// <summary>The period named <paramref name="text"/>; null (absent) is lifetime; false for an unknown name.</summary>
    public static bool TryParse(string? text, out BudgetPeriod period)
    {
        period = text switch
        {
            null => BudgetPeriod.Lifetime,
            "daily" => BudgetPeriod.Daily,
            "monthly" => BudgetPeriod.Monthly,
            _ => (BudgetPeriod)(-1),
        };
        return Enum.IsDefined(period);
    }

    /// <summary>A stored period; a name this version does not know counts as lifetime, as it always has.</summary>
    public static BudgetPeriod ParseStored(string? text) => TryParse(text, out var period) ? period : BudgetPeriod.Lifetime;

    /// <summary>The period's name; null for lifetime.</summary>
    public static string? Name(this BudgetPeriod period) => period switch
    {
        BudgetPeriod.Daily => "daily",
        BudgetPeriod.Monthly => "monthly",
        _ => null,
    };
}
