namespace Switchboard.Limits;

/// <summary>The budget period running at a moment: lifetime, a UTC calendar day or a UTC calendar month.</summary>
/// <param name="Id">Changes exactly when a new period starts (0 for lifetime).</param>
/// <param name="Start">When the period began (the Unix epoch for lifetime budgets).</param>
/// <param name="End">When it ends; null for lifetime.</param>
public readonly record struct BudgetWindow(long Id, DateTimeOffset Start, DateTimeOffset? End)
{
    public static BudgetWindow At(BudgetPeriod period, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        switch (period)
        {
            case BudgetPeriod.Daily:
            {
                var start = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
                return new BudgetWindow(start.Ticks / TimeSpan.TicksPerDay, start, start.AddDays(1));
            }
            case BudgetPeriod.Monthly:
            {
                var start = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
                return new BudgetWindow(utc.Year * 12L + utc.Month - 1, start, start.AddMonths(1));
            }
            default:
                return new BudgetWindow(0, DateTimeOffset.UnixEpoch, null);
        }
    }
}
