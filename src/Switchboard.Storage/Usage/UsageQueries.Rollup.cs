using System.Data.Common;

namespace Switchboard.Storage.Usage;

public sealed partial class UsageQueries
{
    /// <summary>False: every sum and listing reads the ledger alone (tests compare both ways).</summary>
    internal bool ReadsRollup { get; init; } = true;

    /// <summary>
    /// Where the usage sums read their rows: <see cref="Rows"/> is what follows <c>FROM</c>, and <see cref="Sums"/> the
    /// nine totals <see cref="ReadTotals"/> reads, over columns named as the ledger's (<c>ts_ms</c>, <c>key_id</c>,
    /// <c>team</c>, <c>model</c>, <c>provider</c>, <c>key_name</c>), so one GROUP BY serves both sources.
    /// <para>
    /// The roll-ups (<c>usage_daily</c> and <c>usage_hourly</c>, migration 005) are used when the filter names only what it is grouped
    /// by (key id, team, model, provider) and time: no <c>KeyName</c>, <c>Status</c> or <c>ClientRequestId</c>, and
    /// no filter value '' (the roll-up's stand-in for "none"). The whole days inside [From, To) come from the
    /// daily roll-up, its other whole hours from the hourly one; a From or To that is not a whole UTC hour leaves a partial first or last hour, read from the ledger
    /// through its time index (at most two hours of rows), so the answer is exact for any range. A range inside one
    /// hour reads the ledger alone.
    /// </para>
    /// </summary>
    private readonly record struct UsageSource(string Rows, string Sums)
    {
        private const long MsPerHour = SqliteUsageRollup.MsPerHour;

        private const string LedgerSums =
            "COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(reasoning_tokens), SUM(cost_nano_usd), " +
            "SUM(CASE WHEN cost_nano_usd IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), SUM(usage_estimated)";

        private const string RollupSums =
            "COALESCE(SUM(requests), 0), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(reasoning_tokens), SUM(cost_nano_usd), " +
            "SUM(unpriced), SUM(failed), SUM(estimated)";

        // A roll-up's rows with the ledger's column names ('' read back as NULL), and ledger rows in the same shape.
        private static string RollupRows(string table, string bucket, long bucketMs) =>
            $"SELECT {bucket} * {bucketMs} AS ts_ms, NULLIF(key_id, '') AS key_id, NULLIF(team, '') AS team, model, " +
            "NULLIF(provider, '') AS provider, key_name, requests, failed, prompt_tokens, completion_tokens, cached_tokens, " +
            $"reasoning_tokens, cost_nano_usd, unpriced, estimated FROM {table}";

        private static readonly string HourlyRows = RollupRows("usage_hourly", "hour", MsPerHour);
        private static readonly string DailyRows = RollupRows("usage_daily", "day", SqliteUsageRollup.MsPerDay);

        private const string LedgerRowsAsRollup =
            "SELECT ts_ms, key_id, team, model, provider, key_name, 1, CASE WHEN status >= 400 THEN 1 ELSE 0 END, prompt_tokens, " +
            "completion_tokens, cached_tokens, reasoning_tokens, cost_nano_usd, CASE WHEN cost_nano_usd IS NULL THEN 1 ELSE 0 END, " +
            "usage_estimated FROM usage_ledger";

        /// <summary>
        /// The source for <paramref name="filter"/>, its parameters added to <paramref name="command"/>: the range's
        /// whole UTC days from <c>usage_daily</c> (unless <paramref name="days"/> is false: hourly series), its other
        /// whole hours from <c>usage_hourly</c>, its partial hours from the ledger.
        /// </summary>
        public static UsageSource For(DbCommand command, UsageFilter filter, bool rollup = true, bool days = true)
        {
            if (!rollup || !RollupServes(filter, out var firstHour, out var endHour))
            {
                return new UsageSource("usage_ledger" + Where(command, filter), LedgerSums);
            }
            var dimensions = Conditions(command, filter, time: false);
            var parts = new List<string>();
            long? firstDay = firstHour is { } fh ? CeilingDiv(fh, 24) : null, endDay = endHour is { } eh ? FloorDiv(eh, 24) : null;
            var hourRanges = new List<string>();
            void Hours(string condition, params (string Name, long Value)[] values)
            {
                hourRanges.Add(condition);
                foreach (var (name, value) in values) command.With(name, value);
            }
            if (days && (firstDay is not { } d0 || endDay is not { } d1 || d0 < d1))
            {
                var daily = new List<string>(dimensions);
                if (firstDay is { } a) { daily.Add("day >= @first_day"); command.With("@first_day", a); }
                if (endDay is { } b) { daily.Add("day < @end_day"); command.With("@end_day", b); }
                parts.Add(DailyRows + Where(daily));
                if (firstHour is { } h0 && h0 != firstDay!.Value * 24)
                {
                    Hours("(hour >= @first_hour AND hour < @first_day_hour)", ("@first_hour", h0), ("@first_day_hour", firstDay.Value * 24));
                }
                if (endHour is { } h1 && h1 != endDay!.Value * 24)
                {
                    Hours("(hour >= @end_day_hour AND hour < @end_hour)", ("@end_day_hour", endDay.Value * 24), ("@end_hour", h1));
                }
            }
            else
            {
                var whole = new List<string>();
                if (firstHour is { } h0) { whole.Add("hour >= @first_hour"); command.With("@first_hour", h0); }
                if (endHour is { } h1) { whole.Add("hour < @end_hour"); command.With("@end_hour", h1); }
                hourRanges.Add(whole.Count == 0 ? "1 = 1" : "(" + string.Join(" AND ", whole) + ")");
            }
            if (hourRanges.Count > 0) parts.Add(HourlyRows + Where([.. dimensions, "(" + string.Join(" OR ", hourRanges) + ")"]));

            // The partial hours at either end, from the ledger.
            var edges = new List<string>();
            if (filter.From is { } from && from.ToUnixTimeMilliseconds() != firstHour!.Value * MsPerHour)
            {
                edges.Add("(ts_ms >= @from AND ts_ms < @first_hour_ms)");
                command.With("@from", from.ToUnixTimeMilliseconds()).With("@first_hour_ms", firstHour.Value * MsPerHour);
            }
            if (filter.To is { } to && to.ToUnixTimeMilliseconds() != endHour!.Value * MsPerHour)
            {
                edges.Add("(ts_ms >= @end_hour_ms AND ts_ms < @to)");
                command.With("@end_hour_ms", endHour.Value * MsPerHour).With("@to", to.ToUnixTimeMilliseconds());
            }
            if (edges.Count > 0) parts.Add(LedgerRowsAsRollup + Where([.. dimensions, "(" + string.Join(" OR ", edges) + ")"]));
            return new UsageSource("(" + string.Join(" UNION ALL ", parts) + ") rolled_up", RollupSums);
        }

        /// <summary>
        /// True when the roll-up can answer <paramref name="filter"/>: then its whole hours are
        /// [<paramref name="firstHour"/>, <paramref name="endHour"/>) (null = unbounded), From ceiled and To floored.
        /// </summary>
        private static bool RollupServes(UsageFilter filter, out long? firstHour, out long? endHour)
        {
            firstHour = endHour = null;
            if (filter.KeyName is not null || filter.Status is not null || filter.ClientRequestId is not null) return false;
            if (filter.KeyId is "" || filter.Team is "" || filter.Provider is "") return false;
            if (RollupKey.TooLong(filter.KeyId) || RollupKey.TooLong(filter.Team) || RollupKey.TooLong(filter.Model) || RollupKey.TooLong(filter.Provider)) return false;
            if (filter.From is { } from) firstHour = CeilingDiv(from.ToUnixTimeMilliseconds(), MsPerHour);
            if (filter.To is { } to) endHour = FloorDiv(to.ToUnixTimeMilliseconds(), MsPerHour);
            // Before 1970 the roll-up's hour (ts_ms / 3600000, truncated) is not the floor: such ranges read the ledger.
            if (firstHour < 0 || endHour < 0) return false;
            return firstHour is not { } a || endHour is not { } b || a < b;
        }

        private static long FloorDiv(long a, long b) => a / b - (a % b < 0 ? 1 : 0);

        private static long CeilingDiv(long a, long b) => -FloorDiv(-a, b);
    }
}
