using Switchboard.Usage;

namespace Switchboard.Hosting;

/// <summary>
/// Hands each finished request to several sinks: the ledger, the in-memory recent-request ring, and every sink
/// registered as an observer (<see cref="AddUsageObserver{T}"/>: metrics, the access log).
/// </summary>
public sealed class UsageFanOut(IUsageSink[] sinks) : IUsageSink
{
    /// <summary>The service key of the extra sinks a finished request is handed to.</summary>
    public const string ObserverKey = "usage-observer";

    public void Record(UsageRecord record)
    {
        foreach (var sink in sinks) sink.Record(record);
    }

    /// <summary>Registers <typeparamref name="T"/> (a singleton) to see every finished request after the ledger.</summary>
    public static void AddUsageObserver<T>(IServiceCollection services) where T : class, IUsageSink
    {
        services.AddSingleton<T>();
        services.AddKeyedSingleton<IUsageSink>(ObserverKey, (sp, _) => sp.GetRequiredService<T>());
    }
}
