using Switchboard.Config;

namespace Switchboard.Hosting;

/// <summary>What <c>serve</c> was asked to run: a loaded config and the address to listen on.</summary>
public sealed record GatewayOptions
{
    public required GatewayConfig Config { get; init; }
    public required string Host { get; init; }
    /// <summary>0 picks a free port (tests read the bound address back).</summary>
    public required int Port { get; init; }
    /// <summary>The clock (tests move it to cross budget periods and rate windows); null = the system clock.</summary>
    public TimeProvider? Time { get; init; }
    /// <summary>
    /// Where the ledger's spill file lives (rows waiting for an unreachable database). Null = the SQLite file's
    /// directory, or <c>./data</c> with PostgreSQL.
    /// </summary>
    public string? DataDirectory { get; init; }
    /// <summary>How replicas on PostgreSQL lease slices of the shared limit counters; null = the defaults.</summary>
    public Switchboard.Storage.Limits.LimitLeaseOptions? LimitLeases { get; init; }
    /// <summary>How log lines are written (<c>--log-format</c>).</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;
}
