using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.Storage.Usage;

namespace Switchboard.WebConsole.Requests;

/// <summary>
/// The request log's filters as its GET form sends them (every one optional): <c>key</c> (a key id), <c>team</c>,
/// <c>model</c>, <c>provider</c>, <c>endpoint</c>, <c>status</c> (<c>ok</c>, <c>4xx</c>, <c>5xx</c>), <c>code</c> (one
/// status), <c>from</c> and <c>to</c> (UTC days, both included), <c>crid</c> (the client's request id) and
/// <c>before</c> (the paging cursor). A value that cannot be read is ignored and said so, never an error page.
/// </summary>
public sealed class LogQuery
{
    /// <summary>The form's fields, in the order a link carries them.</summary>
    public static readonly string[] Fields = ["key", "team", "model", "provider", "endpoint", "status", "code", "from", "to", "crid"];

    public const string CursorField = "before";

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private LogQuery()
    {
    }

    public LogFilter Filter { get; private set; } = new();

    /// <summary>What could not be read (and was ignored), in words for the page.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>True when any filter (not only the page) is set.</summary>
    public bool IsFiltered => _values.Count > 0;

    /// <summary>The value the form shows for <paramref name="field"/> (what was sent, trimmed).</summary>
    public string Value(string field) => _values.TryGetValue(field, out var value) ? value : "";

    public static LogQuery Read(IQueryCollection query)
    {
        var q = new LogQuery();
        foreach (var field in Fields)
        {
            var value = query[field].ToString().Trim();
            if (value.Length > 0) q._values[field] = value;
        }
        q.Filter = q.Build(query[CursorField].ToString());
        return q;
    }

    private LogFilter Build(string cursor)
    {
        string? Text(string field) => _values.GetValueOrDefault(field);
        var usage = new UsageFilter
        {
            KeyId = Text("key"),
            Team = Text("team"),
            Model = Text("model"),
            Provider = Text("provider"),
            ClientRequestId = Text("crid"),
            From = Day("from", "From"),
            To = Day("to", "To")?.AddDays(1), // the last day is included
        };
        var filter = new LogFilter { Usage = usage, Endpoint = Text("endpoint") };
        if (Text("code") is { } codeText)
        {
            if (int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
            {
                filter = filter with { Usage = usage with { Status = code } };
            }
            else
            {
                Problems.Add($"Status code \"{codeText}\" is not a number from 100 to 599: ignored.");
            }
        }
        filter = Text("status") switch
        {
            null => filter,
            "ok" => filter with { StatusBelow = 400 },
            "4xx" => filter with { StatusFrom = 400, StatusBelow = 500 },
            "5xx" => filter with { StatusFrom = 500 },
            var other => Ignore(filter, $"Status \"{other}\" is not ok, 4xx or 5xx: ignored."),
        };
        if (cursor.Length > 0)
        {
            if (RequestCursor.TryParse(cursor, out var before)) filter = filter with { Before = before };
            else Problems.Add("The page link was damaged: showing the newest requests.");
        }
        return filter;
    }

    private LogFilter Ignore(LogFilter filter, string problem)
    {
        Problems.Add(problem);
        return filter;
    }

    private DateTimeOffset? Day(string field, string label)
    {
        if (!_values.TryGetValue(field, out var text)) return null;
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.Year, day.Month, day.Day, 0, 0, 0, TimeSpan.Zero);
        }
        Problems.Add($"{label} \"{text}\" is not a date (yyyy-mm-dd): ignored.");
        return null;
    }

    /// <summary>This query's link (same filters) on <paramref name="path"/>, optionally continuing after <paramref name="before"/>.</summary>
    public string Link(string path, RequestCursor? before = null)
    {
        var pairs = Fields.Where(_values.ContainsKey).Select(f => KeyValuePair.Create(f, (string?)_values[f])).ToList();
        if (before is { } cursor) pairs.Add(KeyValuePair.Create(CursorField, (string?)cursor.ToString()));
        return path + QueryString.Create(pairs).ToUriComponent();
    }
}
