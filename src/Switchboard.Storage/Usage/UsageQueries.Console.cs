using System.Data.Common;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// The request log's filters beyond <see cref="UsageFilter"/>: the endpoint, a status range (a class such as 4xx)
/// and the paging cursor.
/// </summary>
public sealed record LogFilter
{
    public UsageFilter Usage { get; init; } = new();
    /// <summary>The client-facing endpoint, e.g. <c>chat.completions</c>.</summary>
    public string? Endpoint { get; init; }
    /// <summary>Lowest status included.</summary>
    public int? StatusFrom { get; init; }
    /// <summary>Status this range stops below (exclusive).</summary>
    public int? StatusBelow { get; init; }
    /// <summary>Only rows older than this one (the next page).</summary>
    public RequestCursor? Before { get; init; }
}

public sealed partial class UsageQueries
{
    /// <summary>
    /// A page of the request log: the newest rows matching <paramref name="filter"/> first, at most
    /// <paramref name="limit"/> (the same reading as <see cref="RecentAsync(UsageFilter, int, RequestCursor?, CancellationToken)"/>,
    /// guided by the roll-up for selective filters, plus the log's endpoint and status-range filters).
    /// </summary>
    public Task<IReadOnlyList<UsageRecord>> PageAsync(LogFilter filter, int limit, CancellationToken cancellationToken = default) =>
        ListAsync(filter.Usage, filter, limit, filter.Before, cancellationToken);

    /// <summary>The log's own conditions (endpoint, status range) on a ledger read.</summary>
    private static void AddLogConditions(List<string> conditions, DbCommand command, LogFilter? log)
    {
        if (log is null) return;
        if (log.Endpoint is { } endpoint) { conditions.Add("endpoint = @endpoint"); command.With("@endpoint", endpoint); }
        if (log.StatusFrom is { } from) { conditions.Add("status >= @status_from"); command.With("@status_from", from); }
        if (log.StatusBelow is { } below) { conditions.Add("status < @status_below"); command.With("@status_below", below); }
    }
}
