using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Switchboard.Usage;
using Switchboard.WebConsole.Charts;

namespace Switchboard.WebConsole.Requests;

/// <summary>One upstream attempt as the ledger's attempt log keeps it (<c>provider:status</c>).</summary>
public sealed record AttemptEntry(int Number, string Provider, int? Status);

/// <summary>How a ledger row reads in the console: times in UTC and relative, durations, tokens, cost, status.</summary>
public static class RequestFormat
{
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The machine-readable form for a <c>&lt;time datetime&gt;</c> attribute.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>"just now", "42 s ago", "5 min ago", "3 h ago", "12 d ago" (and "in …" for a time ahead).</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        var ahead = span < TimeSpan.Zero;
        if (ahead) span = -span;
        string amount = span.TotalSeconds switch
        {
            < 5 => "",
            < 60 => $"{(int)span.TotalSeconds} s",
            < 3600 => $"{(int)span.TotalMinutes} min",
            < 86400 * 2 => $"{(int)span.TotalHours} h",
            _ => $"{(int)span.TotalDays} d",
        };
        if (amount.Length == 0) return "just now";
        return ahead ? "in " + amount : amount + " ago";
    }

    /// <summary>A duration in milliseconds: "840 ms", "2.35 s"; a dash when not measured.</summary>
    public static string Duration(double? milliseconds) => milliseconds switch
    {
        null => "—",
        < 1 => "<1 ms",
        < 1000 => ((double)milliseconds).ToString("0", CultureInfo.InvariantCulture) + " ms",
        _ => ((double)milliseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s",
    };

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>The cost, or "unpriced" for a model without a price (never shown as $0).</summary>
    public static string Cost(decimal? usd) => usd is { } value ? ChartFormat.Usd(value) : "unpriced";

    /// <summary>The exact cost for a tooltip (money is kept to the nano-dollar).</summary>
    public static string ExactCost(decimal? usd) => usd is { } value ? "$" + value.ToString("0.#########", CultureInfo.InvariantCulture) : "no price configured";

    /// <summary>The badge class of a status: ok (2xx/3xx), warn (4xx), bad (5xx or none).</summary>
    public static string StatusClass(int status) => status switch
    {
        >= 200 and < 400 => "ok",
        >= 400 and < 500 => "warn",
        _ => "bad",
    };

    /// <summary>What a status means in a few words ("Too Many Requests"); empty for an unknown code.</summary>
    public static string StatusText(int status) => status == 499 ? "Client closed request" : ReasonPhrases.GetReasonPhrase(status);

    /// <summary>The attempts of an attempt log (<c>a:429,b:200</c>), in order; an entry without a readable status keeps its text.</summary>
    public static IReadOnlyList<AttemptEntry> Attempts(string? log)
    {
        if (string.IsNullOrEmpty(log)) return [];
        var entries = new List<AttemptEntry>();
        foreach (var part in log.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Provider names may hold a colon; the status is after the last one.
            var cut = part.LastIndexOf(':');
            int? status = cut > 0 && int.TryParse(part.AsSpan(cut + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
            entries.Add(new AttemptEntry(entries.Count + 1, status is null ? part : part[..cut], status));
        }
        return entries;
    }

    /// <summary>"in / out": the prompt and completion tokens.</summary>
    public static string Tokens(UsageRecord r) => $"{Count(r.Usage.PromptTokens)} / {Count(r.Usage.CompletionTokens)}";
}
