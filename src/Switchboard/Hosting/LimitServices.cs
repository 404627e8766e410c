using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard.Config;
using Switchboard.Limits;
using Switchboard.Pricing;
using Switchboard.Storage;
using Switchboard.Storage.Limits;

namespace Switchboard.Hosting;

/// <summary>
/// Admission control's services: pricing, budgets' spend so far, and — on PostgreSQL — the counters every replica
/// shares. SQLite means one process, so its counters live in memory and spend is read back from the ledger.
/// </summary>
public static class LimitServices
{
    /// <param name="services">The gateway's services.</param>
    /// <param name="config">The gateway config (its database decides in-process or shared counters).</param>
    /// <param name="leases">How replicas lease slices of the shared counters (null = the defaults; tests shorten intervals).</param>
    public static IServiceCollection AddLimits(this IServiceCollection services, GatewayConfig config, LimitLeaseOptions? leases = null)
    {
        services.AddSingleton(new DeploymentPricing(PriceList.BuiltIn));
        services.TryAddSingleton(_ => SwitchboardDatabase.FromConfigValue(config.Database));
        var postgres = DatabaseLocation.Parse(config.Database).Backend == StorageBackend.Postgres;
        if (postgres)
        {
            services.AddSingleton(sp => new PostgresLimitCounters(sp.GetRequiredService<SwitchboardDatabase>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PostgresLimitCounters>>(), leases));
            services.AddSingleton<ISharedLimitCounters>(sp => sp.GetRequiredService<PostgresLimitCounters>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresLimitCounters>());
            // The shared counters read a subject's spend so far from the ledger themselves, inside the admitting transaction.
            services.AddSingleton<ISpendSource, NoRecordedSpend>();
        }
        else
        {
            services.AddSingleton<ISpendSource, LedgerSpendSource>();
        }
        services.AddSingleton<IAdmissionControl>(sp => new LimitAdmissionControl(
            sp.GetRequiredService<RuntimeHolder>(), sp.GetRequiredService<DeploymentPricing>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ISpendSource>(), sp.GetService<ISharedLimitCounters>()));
        return services;
    }
}
