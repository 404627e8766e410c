namespace Switchboard.Storage.Limits;

/// <summary>USD ↔ nano-USD (the storage schema's exact money unit).</summary>
internal static class NanoUsd
{
    private const decimal PerUsd = 1_000_000_000m;

    /// <summary>For reservations: rounded up, so a reservation never covers less than its worst case.</summary>
    public static long Ceiling(decimal usd) => (long)Math.Ceiling(usd * PerUsd);

    /// <summary>For budgets: rounded down, so a budget never allows more than it says.</summary>
    public static long Floor(decimal usd) => (long)Math.Floor(usd * PerUsd);

    public static long Round(decimal usd) => (long)Math.Round(usd * PerUsd, MidpointRounding.AwayFromZero);

    public static decimal ToUsd(long nano) => nano / PerUsd;
}
