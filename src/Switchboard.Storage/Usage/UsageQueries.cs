using System.Data.Common;
using System.Globalization;
using System.Text;
using Switchboard.Limits;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// Which rows a usage or log query covers (every filter optional). <c>To</c> is exclusive. Usage sums
/// (<see cref="UsageQueries.TotalsAsync"/>, <see cref="UsageQueries.GroupsAsync"/>, <see cref="UsageQueries.SeriesAsync"/>)
/// are fastest on big ledgers when <c>From</c> and <c>To</c> are whole UTC hours and there is no <c>KeyName</c>,
/// <c>Status</c> or <c>ClientRequestId</c> filter: they are then read from the hourly roll-up alone.
/// </summary>
public sealed record UsageFilter
{
    public string? KeyId { get; init; }
    public string? KeyName { get; init; }
    public string? Model { get; init; }
    public string? Team { get; init; }
    public string? Provider { get; init; }
    public int? Status { get; init; }
    /// <summary>The id the client sent with the request (<see cref="UsageRecord.ClientRequestId"/>).</summary>
    public string? ClientRequestId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
}

/// <summary>How usage is grouped.</summary>
public enum UsageGrouping
{
    Key,
    Team,
    Model,
    Provider,
    Day,
}

/// <summary>Sums over ledger rows. <see cref="CostUsd"/> covers priced rows only; unpriced ones are counted apart.</summary>
public sealed record UsageTotals(
    long Requests,
    long PromptTokens,
    long CompletionTokens,
    long CachedTokens,
    long ReasoningTokens,
    decimal CostUsd,
    long UnpricedRequests,
    long FailedRequests,
    long EstimatedRequests);

/// <summary>One group: its key (key id, team, model, provider or yyyy-MM-dd), a label (the key's name), its totals.</summary>
public sealed record UsageGroup(string? Group, string? Label, UsageTotals Totals);

/// <summary>Reads the ledger: totals, groups, recent rows, a key's spend.</summary>
public sealed partial class UsageQueries(SwitchboardDatabase database)
{
    /// <summary>
    /// The totals of the rows <paramref name="filter"/> selects. Read from the hourly roll-up when the filter allows it
    /// (see <see cref="UsageSource"/>): then a range's whole hours cost one roll-up row per group and hour, and only
    /// a partial first or last hour is read from the ledger. The answer is the same either way.
    /// </summary>
    public async Task<UsageTotals> TotalsAsync(UsageFilter filter, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SwitchboardDatabase.Command(connection, "");
        var source = UsageSource.For(command, filter, ReadsRollup);
        command.CommandText = $"SELECT {source.Sums} FROM {source.Rows}";
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await r.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ReadTotals(r, 0);
    }

    /// <summary>
    /// Totals per key id (labelled with the key's name), team, model, provider or UTC day; rows without a key, team
    /// or provider form one group, listed first. From the roll-up when the filter allows it, as <see cref="TotalsAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<UsageGroup>> GroupsAsync(UsageFilter filter, UsageGrouping grouping, CancellationToken cancellationToken = default)
    {
        var (expression, label) = grouping switch
        {
            UsageGrouping.Key => ("key_id", "MAX(key_name)"),
            UsageGrouping.Team => ("team", "NULL"),
            UsageGrouping.Model => ("model", "NULL"),
            UsageGrouping.Provider => ("provider", "NULL"),
            _ => ("ts_ms / 86400000", "NULL"), // whole UTC days since the epoch (integer division on both engines)
        };
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SwitchboardDatabase.Command(connection, "");
        var source = UsageSource.For(command, filter, ReadsRollup);
        command.CommandText = $"SELECT {expression}, {label}, {source.Sums} FROM {source.Rows}" +
            // Rows without a key/team/provider form one group, listed first on both engines (their NULL orders differ).
            $" GROUP BY {expression} ORDER BY CASE WHEN {expression} IS NULL THEN 0 ELSE 1 END, {expression}";
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var groups = new List<UsageGroup>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string? group = grouping == UsageGrouping.Day
                ? DateTimeOffset.UnixEpoch.AddDays(DbValues.Long(r, 0)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : DbValues.Text(r, 0);
            groups.Add(new UsageGroup(group, DbValues.Text(r, 1), ReadTotals(r, 2)));
        }
        return groups;
    }

    /// <summary>What a key has spent (priced rows) since <paramref name="since"/> (null = ever).</summary>
    public Task<decimal> SpendAsync(string keyId, DateTimeOffset? since, CancellationToken cancellationToken = default) =>
        SpentSinceAsync(LimitScope.Key, keyId, since, cancellationToken);

    /// <summary>
    /// What a key or team has spent (priced rows) since <paramref name="since"/> (null = ever). On SQLite, a start at a
    /// UTC midnight (every budget period's) is read from the spend roll-up the ledger writer keeps
    /// (<see cref="SqliteSpendRollup"/>), since the ledger has no per-key or per-team index there; any other start, and
    /// PostgreSQL, sum the ledger.
    /// </summary>
    public async Task<decimal> SpentSinceAsync(LimitScope scope, string id, DateTimeOffset? since, CancellationToken cancellationToken = default)
    {
        if (database.IsPostgres || since is { } start && !SqliteSpendRollup.IsDayStart(start))
        {
            var filter = scope == LimitScope.Key ? new UsageFilter { KeyId = id, From = since } : new UsageFilter { Team = id, From = since };
            return (await TotalsAsync(filter, cancellationToken).ConfigureAwait(false)).CostUsd;
        }
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return Money.FromNano(await SqliteSpendRollup.SpentSinceAsync(connection, scope, id, since, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The filter's conditions on the columns the ledger and the roll-up share (and time, when asked), ANDed.</summary>
    private static List<string> Conditions(DbCommand command, UsageFilter f, bool time)
    {
        var conditions = new List<string>();
        void Add(string clause, string name, object value)
        {
            conditions.Add(clause);
            command.With(name, value);
        }
        if (f.KeyId is not null) Add("key_id = @key_id", "@key_id", f.KeyId);
        if (f.KeyName is not null) Add("key_name = @key_name", "@key_name", f.KeyName);
        if (f.Model is not null) Add("model = @model", "@model", f.Model);
        if (f.Team is not null) Add("team = @team", "@team", f.Team);
        if (f.Provider is not null) Add("provider = @provider", "@provider", f.Provider);
        if (f.Status is { } status) Add("status = @status", "@status", status);
        if (f.ClientRequestId is not null) Add("client_request_id = @client_request_id", "@client_request_id", f.ClientRequestId);
        if (time && f.From is { } from) Add("ts_ms >= @from", "@from", from.ToUnixTimeMilliseconds());
        if (time && f.To is { } to) Add("ts_ms < @to", "@to", to.ToUnixTimeMilliseconds());
        return conditions;
    }

    private static string Where(List<string> conditions) => conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);

    private static string Where(DbCommand command, UsageFilter f) => Where(Conditions(command, f, time: true));

    private static UsageTotals ReadTotals(DbDataReader r, int at) => new(
        DbValues.Long(r, at),
        DbValues.NullableLong(r, at + 1) ?? 0,
        DbValues.NullableLong(r, at + 2) ?? 0,
        DbValues.NullableLong(r, at + 3) ?? 0,
        DbValues.NullableLong(r, at + 4) ?? 0,
        Money.FromNano(DbValues.NullableLong(r, at + 5) ?? 0),
        DbValues.NullableLong(r, at + 6) ?? 0,
        DbValues.NullableLong(r, at + 7) ?? 0,
        DbValues.NullableLong(r, at + 8) ?? 0);
}
