using System.Globalization;

namespace Switchboard.WebConsole.Charts;

/// <summary>How numbers read in the console: counts with k/M, money in dollars with enough digits to be honest.</summary>
public static class ChartFormat
{
    public static string Count(double value) => Math.Abs(value) switch
    {
        >= 1_000_000_000 => (value / 1_000_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("#,0.##", CultureInfo.InvariantCulture),
    };

    public static string Usd(double value) => Math.Abs(value) switch
    {
        0 => "$0",
        >= 100 => value.ToString("$#,0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("$#,0.00", CultureInfo.InvariantCulture),
        >= 0.01 => value.ToString("$0.00##", CultureInfo.InvariantCulture),
        _ => value.ToString("$0.######", CultureInfo.InvariantCulture),
    };

    public static string Usd(decimal value) => Usd((double)value);

    public static string Percent(double fraction) => fraction.ToString("0.#%", CultureInfo.InvariantCulture);
}
