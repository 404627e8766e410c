namespace Switchboard.Limits;

/// <summary>A budget period: lifetime (null), UTC calendar day or UTC calendar month.</summary>
/// <param name="Id">Changes exactly when a new period starts (0 for lifetime).</param>
/// <param name="Start">When the period began (the Unix epoch for lifetime budgets).</param>
/// <param name="End">When it ends; null for lifetime.</param>
public readonly record struct BudgetPeriod(long Id, DateTimeOffset Start, DateTimeOffset? End)
{
    public static BudgetPeriod At(string? period, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        switch (period)
        {
            case "daily":
            {
                var start = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
                return new BudgetPeriod(start.Ticks / TimeSpan.TicksPerDay, start, start.AddDays(1));
            }
            case "monthly":
            {
                var start = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
                return new BudgetPeriod(utc.Year * 12L + utc.Month - 1, start, start.AddMonths(1));
            }
            default:
                return new BudgetPeriod(0, DateTimeOffset.UnixEpoch, null);
        }
    }
}
