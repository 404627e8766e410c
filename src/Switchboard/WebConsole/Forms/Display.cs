using System.Collections.Immutable;
using System.Globalization;
using Switchboard.Admin;
using Switchboard.Limits;
using Switchboard.WebConsole.Charts;

namespace Switchboard.WebConsole.Forms;

/// <summary>How the keys, teams, deployments and models pages write times, limits and budgets.</summary>
public static class Display
{
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Utc(DateTimeOffset? at, string none = "—") => at is { } value ? Utc(value) : none;

    /// <summary>"just now", "5 min ago", "3 h ago", else the date.</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalMinutes switch
        {
            < 1 => "just now",
            < 60 => $"{(int)age.TotalMinutes} min ago",
            < 24 * 60 => $"{(int)age.TotalHours} h ago",
            _ => Utc(at),
        };
    }

    /// <summary>A length of time in its largest whole unit where exact ("10 min", "90 s").</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? $"{span.TotalMinutes:0} min"
        : $"{span.TotalSeconds:0.###} s";

    /// <summary>The rate and concurrency limits in a few words ("60 rpm · 10k tpm · 4 in flight"), or "none".</summary>
    public static string Limits(LimitSettings limits)
    {
        var parts = new List<string>(3);
        if (limits.Rpm is { } rpm) parts.Add(ChartFormat.Count(rpm) + " rpm");
        if (limits.Tpm is { } tpm) parts.Add(ChartFormat.Count(tpm) + " tpm");
        if (limits.MaxParallel is { } parallel) parts.Add(parallel.ToString(CultureInfo.InvariantCulture) + " in flight");
        return parts.Count == 0 ? "none" : string.Join(" · ", parts);
    }

    public static string Models(ImmutableArray<string>? models) => models is { } list ? list.IsEmpty ? "none" : string.Join(", ", list) : "all";

    /// <summary>What the spend covers: "today", "this month" or "all time".</summary>
    public static string Period(BudgetSpend spend, BudgetPeriod period) => spend.Since is null ? "all time" : period == BudgetPeriod.Daily ? "today" : "this month";

    /// <summary>A number for an HTML attribute (always with a dot).</summary>
    public static string Attr(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
