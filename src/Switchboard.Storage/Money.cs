namespace Switchboard.Storage;

/// <summary>
/// USD amounts are stored as whole nano-dollars (BIGINT) on both backends: SQLite has no exact decimal type, and
/// integer sums are exact everywhere. Rounding to 1e-9 USD per request is far below any price's precision.
/// </summary>
public static class Money
{
    private const decimal NanoPerUsd = 1_000_000_000m;

    public static long ToNano(decimal usd) => (long)decimal.Round(usd * NanoPerUsd, MidpointRounding.AwayFromZero);
    public static long? ToNano(decimal? usd) => usd is { } v ? ToNano(v) : null;
    public static decimal FromNano(long nano) => nano / NanoPerUsd;
    public static decimal? FromNano(long? nano) => nano is { } v ? FromNano(v) : null;
}
