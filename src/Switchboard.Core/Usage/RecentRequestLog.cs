namespace Switchboard.Usage;

/// <summary>
/// The most recent requests, in memory (a ring of fixed size). Serves <c>/admin/logs</c> until the
/// persistent ledger arrives; recording is O(1) under a short lock and never touches disk or network.
/// </summary>
public sealed class RecentRequestLog(int capacity = 2000) : IUsageSink
{
    private readonly UsageRecord?[] _ring = new UsageRecord?[capacity];
    private readonly Lock _gate = new();
    private long _count;

    public void Record(UsageRecord record)
    {
        lock (_gate)
        {
            _ring[_count % _ring.Length] = record;
            _count++;
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<UsageRecord> Snapshot(int limit)
    {
        lock (_gate)
        {
            var n = (int)Math.Min(Math.Min(limit, _ring.Length), _count);
            var result = new List<UsageRecord>(n);
            for (var i = 0; i < n; i++)
            {
                result.Add(_ring[(_count - 1 - i) % _ring.Length]!);
            }
            return result;
        }
    }
}
