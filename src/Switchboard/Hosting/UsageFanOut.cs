using Switchboard.Usage;

namespace Switchboard.Hosting;

/// <summary>Hands each finished request to several sinks (the ledger and the in-memory recent-request ring).</summary>
public sealed class UsageFanOut(IUsageSink first, IUsageSink second) : IUsageSink
{
    public void Record(UsageRecord record)
    {
        first.Record(record);
        second.Record(record);
    }
}
