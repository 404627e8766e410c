using System.Globalization;

namespace Switchboard.Limits;

/// <summary>
/// Formats a wait the way OpenAI's <c>x-ratelimit-reset-*</c> headers do (Go's duration syntax: <c>20ms</c>,
/// <c>1.5s</c>, <c>6m0s</c>), which is what clients that parse those headers expect.
/// </summary>
public static class GoDuration
{
    public static string Format(TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero) return "0s";
        if (wait < TimeSpan.FromSeconds(1)) return ((long)Math.Ceiling(wait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
        var minutes = (long)wait.TotalMinutes;
        // Milliseconds are enough precision for a retry hint; Go prints the shortest exact form, trailing zeros dropped.
        var seconds = Math.Round(wait.TotalSeconds - minutes * 60, 3, MidpointRounding.AwayFromZero);
        var secondsText = seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return minutes > 0 ? minutes.ToString(CultureInfo.InvariantCulture) + "m" + secondsText : secondsText;
    }
}
