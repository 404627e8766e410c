using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// Where a page of recent requests ended: the next page holds the rows strictly older than this one (by time, then by
/// request id, the order <see cref="UsageQueries.RecentAsync(UsageFilter, int, RequestCursor?, CancellationToken)"/>
/// and <see cref="UsageQueries.PageAsync"/> list). Written into a URL as <c>{unix ms}_{request id}</c>.
/// </summary>
public readonly record struct RequestCursor(long TimestampMs, string RequestId)
{
    /// <summary>The cursor that continues after <paramref name="row"/>.</summary>
    public static RequestCursor After(UsageRecord row) => new(row.Timestamp.ToUnixTimeMilliseconds(), row.RequestId);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{TimestampMs}_{RequestId}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out RequestCursor? cursor)
    {
        cursor = null;
        var cut = text?.IndexOf('_', StringComparison.Ordinal) ?? -1;
        if (cut <= 0 || cut == text!.Length - 1) return false;
        if (!long.TryParse(text.AsSpan(0, cut), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return false;
        cursor = new RequestCursor(ms, text[(cut + 1)..]);
        return true;
    }
}

public sealed partial class UsageQueries
{
    private const string OrderNewestFirst = " ORDER BY ts_ms DESC, request_id DESC LIMIT @limit";

    /// <summary>The newest rows first, at most <paramref name="limit"/>.</summary>
    public Task<IReadOnlyList<UsageRecord>> RecentAsync(UsageFilter filter, int limit, CancellationToken cancellationToken = default) =>
        RecentAsync(filter, limit, before: null, cancellationToken);

    /// <summary>
    /// The newest rows first, at most <paramref name="limit"/>, older than <paramref name="before"/> when given (the
    /// next page: pass <see cref="RequestCursor.After"/> of the last row shown).
    /// <para>
    /// A filter by key id, team, model, provider or status may match few rows among millions, and SQLite's ledger has
    /// no per-key index (migration sqlite/002 dropped it to keep ledger writes cheap; an index would cost every
    /// request one more B-tree insert). Scanning the time index newest first would then read the whole ledger to find
    /// a rare key's 50 rows. Such a filter first asks the hourly roll-up (<c>usage_hourly</c>, one row per hour and
    /// group, with a <c>(key_id, hour)</c> index) which hours hold matching rows, newest first, and reads only those
    /// hours from the ledger's time index, until the page is full. Rows put into the ledger by hand, not through
    /// <see cref="LedgerRepository"/>, are not in the roll-up and are not found this way.
    /// </para>
    /// </summary>
    public Task<IReadOnlyList<UsageRecord>> RecentAsync(UsageFilter filter, int limit, RequestCursor? before,
        CancellationToken cancellationToken = default) =>
        ListAsync(filter, log: null, limit, before, cancellationToken);

    private async Task<IReadOnlyList<UsageRecord>> ListAsync(UsageFilter filter, LogFilter? log, int limit, RequestCursor? before,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<UsageRecord>();
        if (limit <= 0) return rows;
        if (!ReadsRollup || !RecentNeedsHours(filter))
        {
            await ReadRecentAsync(connection, filter, log, before, null, limit, rows, cancellationToken).ConfigureAwait(false);
            return rows;
        }
        foreach (var (start, end) in await MatchingHoursAsync(connection, filter, log, before, cancellationToken).ConfigureAwait(false))
        {
            await ReadRecentAsync(connection, filter, log, before, (start, end), limit - rows.Count, rows, cancellationToken).ConfigureAwait(false);
            if (rows.Count >= limit) break;
        }
        return rows;
    }

    /// <summary>One ledger row by the gateway's request id (a request's detail page), or null.</summary>
    public async Task<UsageRecord?> FindAsync(string requestId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SwitchboardDatabase.Command(connection,
            $"SELECT {LedgerRepository.Columns} FROM usage_ledger WHERE request_id = @id").With("@id", requestId);
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRecord(r) : null;
    }

    /// <summary>Whether a filter is selective enough that the roll-up's hours should guide the ledger scan.</summary>
    private static bool RecentNeedsHours(UsageFilter f) =>
        (f.KeyId is { Length: > 0 } || f.Team is { Length: > 0 } || f.Model is not null || f.Provider is { Length: > 0 } || f.Status is not null)
        && f.KeyId is not "" && f.Team is not "" && f.Provider is not "" && f.KeyName is null && f.ClientRequestId is null
        && !RollupKey.TooLong(f.KeyId) && !RollupKey.TooLong(f.Team) && !RollupKey.TooLong(f.Model) && !RollupKey.TooLong(f.Provider);

    /// <summary>
    /// Runs of consecutive hours (as [start, end) unix ms) in which the roll-up holds rows the filter may match, newest
    /// first, within the filter's time range and before the cursor. With a status filter a run may hold none (the
    /// roll-up counts failed rows, not each status); the caller reads runs until its page is full.
    /// </summary>
    private static async Task<List<(long Start, long End)>> MatchingHoursAsync(DbConnection connection, UsageFilter filter, LogFilter? log,
        RequestCursor? before, CancellationToken cancellationToken)
    {
        const long hourMs = SqliteUsageRollup.MsPerHour;
        await using var command = SwitchboardDatabase.Command(connection, "");
        var conditions = Conditions(command, filter with { Status = null }, time: false);
        if (filter.From is { } from) { conditions.Add("hour >= @first_hour"); command.With("@first_hour", from.ToUnixTimeMilliseconds() / hourMs); }
        var upper = Math.Min(filter.To?.ToUnixTimeMilliseconds() ?? long.MaxValue, before?.TimestampMs + 1 ?? long.MaxValue);
        if (upper != long.MaxValue) { conditions.Add("hour <= @last_hour"); command.With("@last_hour", (upper - 1) / hourMs); }
        // The roll-up counts failed (>= 400) and all rows: a status, or the log's status range, picks which to look for.
        var counted = filter.Status switch
        {
            >= 400 => "failed",
            not null => "requests - failed",
            null when log?.StatusFrom >= 400 => "failed",
            null when log?.StatusBelow <= 400 => "requests - failed",
            null => "requests",
        };
        command.CommandText = $"SELECT hour FROM usage_hourly{Where(conditions)} GROUP BY hour HAVING SUM({counted}) > 0 ORDER BY hour DESC";
        var runs = new List<(long Start, long End)>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var start = DbValues.Long(r, 0) * hourMs;
            if (runs.Count > 0 && runs[^1].Start == start + hourMs) runs[^1] = (start, runs[^1].End);
            else runs.Add((start, start + hourMs));
        }
        return runs;
    }

    /// <summary>Appends to <paramref name="rows"/> at most <paramref name="limit"/> matching rows, newest first, within <paramref name="window"/> when given.</summary>
    private static async Task ReadRecentAsync(DbConnection connection, UsageFilter filter, LogFilter? log, RequestCursor? before,
        (long Start, long End)? window, int limit, List<UsageRecord> rows, CancellationToken cancellationToken)
    {
        await using var command = SwitchboardDatabase.Command(connection, "");
        var conditions = Conditions(command, filter, time: true);
        AddLogConditions(conditions, command, log);
        if (before is { } cursor)
        {
            // "ts_ms <= x" first so the time index bounds the scan; the rest breaks ties within one millisecond.
            conditions.Add("ts_ms <= @before_ts AND (ts_ms < @before_ts OR request_id < @before_id)");
            command.With("@before_ts", cursor.TimestampMs).With("@before_id", cursor.RequestId);
        }
        if (window is { } w)
        {
            conditions.Add("ts_ms >= @window_start AND ts_ms < @window_end");
            command.With("@window_start", w.Start).With("@window_end", w.End);
        }
        command.CommandText = $"SELECT {LedgerRepository.Columns} FROM usage_ledger{Where(conditions)}{OrderNewestFirst}";
        command.With("@limit", limit);
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(ReadRecord(r));
    }

    /// <summary>A row of <see cref="LedgerRepository.Columns"/>.</summary>
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
        Adjusted = DbValues.Text(r, 24),
    };
}
