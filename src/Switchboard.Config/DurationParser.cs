using System.Globalization;

namespace Switchboard.Config;

/// <summary>
/// Parses timeouts written as <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c> or a plain number of seconds
/// (<c>30</c>, <c>1.5</c>) — the forms people already use in LiteLLM and Docker configs.
/// </summary>
internal static class DurationParser
{
    // Longest suffix first so "ms" is not read as "m" followed by garbage.
    private static readonly (string Suffix, double Seconds)[] Units =
    [
        ("ms", 0.001),
        ("s", 1),
        ("m", 60),
        ("h", 3600),
    ];

    /// <summary>Parses a non-negative duration; false for anything else (including negative numbers).</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var trimmed = text.Trim();
        var multiplier = 1.0;
        foreach (var (suffix, seconds) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                multiplier = seconds;
                break;
            }
        }

        if (trimmed.Length == 0 || !char.IsAsciiDigit(trimmed[0]) && trimmed[0] != '.')
        {
            return false;
        }

        if (!double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var totalSeconds = number * multiplier;
        // Range checks (positive, sensible upper bound) belong to the caller; this only guards overflow.
        if (!double.IsFinite(totalSeconds) || totalSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(Math.Round(totalSeconds * 1000));
        return true;
    }
}
