using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// Where a page of the request log starts: rows strictly older than this one in the log's order (time, then request
/// id, both descending). Written into a URL as <c>{unix ms}_{request id}</c>.
/// </summary>
public readonly record struct LogCursor(long TimestampMs, string RequestId)
{
    /// <summary>The cursor that continues after <paramref name="row"/>.</summary>
    public static LogCursor After(UsageRecord row) => new(row.Timestamp.ToUnixTimeMilliseconds(), row.RequestId);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{TimestampMs}_{RequestId}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out LogCursor? cursor)
    {
        cursor = null;
        var cut = text?.IndexOf('_', StringComparison.Ordinal) ?? -1;
        if (cut <= 0 || cut == text!.Length - 1) return false;
        if (!long.TryParse(text.AsSpan(0, cut), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return false;
        cursor = new LogCursor(ms, text[(cut + 1)..]);
        return true;
    }
}

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
    public LogCursor? Before { get; init; }
}

public sealed partial class UsageQueries
{
    /// <summary>A page of the request log: the newest rows matching <paramref name="filter"/> first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<UsageRecord>> PageAsync(LogFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SwitchboardDatabase.Command(connection, "");
        var where = Where(command, filter.Usage);
        void Add(string clause)
        {
            where += where.Length == 0 ? " WHERE " : " AND ";
            where += clause;
        }
        if (filter.Endpoint is { } endpoint)
        {
            Add("endpoint = @endpoint");
            command.With("@endpoint", endpoint);
        }
        if (filter.StatusFrom is { } from)
        {
            Add("status >= @status_from");
            command.With("@status_from", from);
        }
        if (filter.StatusBelow is { } below)
        {
            Add("status < @status_below");
            command.With("@status_below", below);
        }
        if (filter.Before is { } before)
        {
            // "ts_ms <= x" first so the time index bounds the scan; the rest breaks ties within one millisecond.
            Add("ts_ms <= @before_ts AND (ts_ms < @before_ts OR request_id < @before_id)");
            command.With("@before_ts", before.TimestampMs);
            command.With("@before_id", before.RequestId);
        }
        command.CommandText = $"SELECT {LedgerRepository.Columns} FROM usage_ledger{where} ORDER BY ts_ms DESC, request_id DESC LIMIT @limit";
        command.With("@limit", limit);
        return await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One request's row by the gateway's request id, or null.</summary>
    public async Task<UsageRecord?> FindAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SwitchboardDatabase.Command(connection,
            $"SELECT {LedgerRepository.Columns} FROM usage_ledger WHERE request_id = @request_id");
        command.With("@request_id", requestId);
        var rows = await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Every row <paramref name="command"/> selects (its columns are <see cref="LedgerRepository.Columns"/>).</summary>
    private static async Task<List<UsageRecord>> ReadRecordsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<UsageRecord>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(ReadRecord(r));
        return rows;
    }

    private static UsageRecord ReadRecord(DbDataReader r) => new()
    {
        RequestId = r.GetString(0),
        Timestamp = DbValues.Time(r, 1),
        KeyId = DbValues.Text(r, 2),
        KeyName = DbValues.Text(r, 3),
        Team = DbValues.Text(r, 4),
        Endpoint = r.GetString(5),
        Model = r.GetString(6),
        Provider = DbValues.Text(r, 7),
        UpstreamModel = DbValues.Text(r, 8),
        Status = (int)DbValues.Long(r, 9),
        ErrorCode = DbValues.Text(r, 10),
        Stream = DbValues.Bool(r, 11),
        Usage = new TokenUsage(DbValues.Long(r, 12), DbValues.Long(r, 13), DbValues.Long(r, 12) + DbValues.Long(r, 13), DbValues.Long(r, 14), DbValues.Long(r, 15)),
        UsageMissing = !DbValues.Bool(r, 16),
        CostEstimated = DbValues.Bool(r, 17),
        CostUsd = Money.FromNano(DbValues.NullableLong(r, 18)),
        Attempts = (int)DbValues.Long(r, 19),
        AttemptLog = DbValues.Text(r, 20),
        LatencyMs = DbValues.Double(r, 21),
        TimeToFirstTokenMs = DbValues.NullableDouble(r, 22),
        ClientRequestId = DbValues.Text(r, 23),
    };
}
