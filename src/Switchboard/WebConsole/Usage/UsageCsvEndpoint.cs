using CsvHelper;
using Switchboard.Storage;
using Switchboard.Storage.Keys;
using Switchboard.Storage.Usage;
using Switchboard.WebConsole.Auth;

namespace Switchboard.WebConsole.Usage;

/// <summary>
/// <c>GET /ui/usage.csv</c>: the usage explorer's table for the same query string, as an RFC 4180 file to download
/// (operator only). Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR, such as a
/// key named "=HYPERLINK(…)") are written with a leading apostrophe, so they open as text.
/// </summary>
public static class UsageCsvEndpoint
{
    public const string Path = ConsoleServices.PathPrefix + "/usage.csv";

    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static void MapUsageCsv(this WebApplication app) =>
        app.MapGet(Path, WriteAsync).RequireAuthorization(ConsolePolicies.Operator);

    private static async Task WriteAsync(HttpContext context, UsageQueries usage, KeyRepository keys, TimeProvider time)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (query, error) = UsageExplorerQuery.Parse(context.Request.Query, today);
        if (query is null)
        {
            await Plain(context, StatusCodes.Status400BadRequest, error!);
            return;
        }
        UsageExplorerResult result;
        try
        {
            var names = await UsageExplorer.KeyNamesAsync(keys, context.RequestAborted);
            result = await UsageExplorer.RunAsync(usage, names, query, context.RequestAborted);
        }
        catch (Exception e) when (SwitchboardDatabase.IsUnavailable(e))
        {
            await Plain(context, StatusCodes.Status503ServiceUnavailable, "The database is unreachable right now; try again shortly.");
            return;
        }
        var name = $"switchboard-usage-by-{query.GroupById}-{UsageExplorerQuery.Format(query.From)}-to-{UsageExplorerQuery.Format(query.To)}.csv";
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        await using var csv = CsvWriter.Create(context.Response.Body, Options, leaveOpen: true);
        var byKey = query.GroupBy == UsageGrouping.Key;
        string[] head = byKey ? ["key_id", "key_name"] : [query.GroupById];
        await csv.WriteRecordAsync([.. head, "requests", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens",
            "cost_usd", "failed_requests", "unpriced_requests"], context.RequestAborted);
        foreach (var row in result.Rows)
        {
            if (byKey) csv.WriteField(row.Group ?? "");
            csv.WriteField(row.Group is null || byKey ? row.Label : row.Group);
            var t = row.Totals;
            foreach (var count in (ReadOnlySpan<long>)[t.Requests, t.PromptTokens, t.CompletionTokens, t.CachedTokens, t.ReasoningTokens])
            {
                csv.WriteField(count, "");
            }
            csv.WriteField(t.CostUsd, "");
            csv.WriteField(t.FailedRequests, "");
            csv.WriteField(t.UnpricedRequests, "");
            await csv.EndRecordAsync(context.RequestAborted);
        }
        await csv.FlushAsync(context.RequestAborted);
    }

    private static Task Plain(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
