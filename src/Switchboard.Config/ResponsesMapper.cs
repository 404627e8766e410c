using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>Maps the top-level <c>responses:</c> section: whether Responses API answers are stored, and for how long.</summary>
internal static class ResponsesMapper
{
    private static readonly string[] ResponsesKeys = ["store", "retention"];

    /// <summary>The longest retention accepted (ten years): anything longer is surely a unit typo.</summary>
    private static readonly TimeSpan MaxRetention = TimeSpan.FromDays(3650);

    public static ResponsesSettings Read(YamlNode? node, YamlNodeReader reader)
    {
        var defaults = new ResponsesSettings();
        if (node is null || reader.Fields(node, "responses", ResponsesKeys) is not { } fields)
        {
            return defaults;
        }

        return new ResponsesSettings
        {
            Store = RoutingMapper.ReadBool(fields.Get("store"), fields.PathOf("store"), reader) ?? defaults.Store,
            Retention = ReadRetention(fields.Get("retention"), fields.PathOf("retention"), reader) ?? defaults.Retention,
        };
    }

    /// <summary>
    /// A retention period: a number of days (<c>30d</c>) or any duration the other settings take (<c>12h</c>,
    /// <c>90m</c>, <c>30s</c>), which the general duration reader caps at a day; retention runs to years.
    /// </summary>
    private static TimeSpan? ReadRetention(YamlNode? node, string path, YamlNodeReader reader)
    {
        var text = reader.Text(node, path)?.Trim();
        if (text is null)
        {
            return null;
        }

        TimeSpan value;
        var parsed = text.EndsWith('d')
            ? TryParseDays(text[..^1].TrimEnd(), out value)
            : DurationParser.TryParse(text, out value);
        if (!parsed || value <= TimeSpan.Zero || value > MaxRetention)
        {
            reader.Error(node!, path, $"expected a retention period such as 30d, 12h or 90m (more than 0, at most 3650d), got {YamlNodeReader.Quote(text)}");
            return null;
        }

        return value;
    }

    private static bool TryParseDays(string digits, out TimeSpan value)
    {
        value = default;
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var days) || !double.IsFinite(days)
            || days > MaxRetention.TotalDays)
        {
            return false;
        }

        value = TimeSpan.FromDays(days);
        return true;
    }
}
