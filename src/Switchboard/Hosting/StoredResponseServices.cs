using Switchboard.Providers.OpenAI.Responses.Stored;
using Switchboard.Storage;
using Switchboard.Storage.Responses;

namespace Switchboard.Hosting;

/// <summary>
/// The Responses API's stored responses: the database store (a hosted service: its writer and pruner run in the
/// background) and the hook <c>POST /v1/responses</c> resolves (ResponsesDialectRegistration).
/// </summary>
public static class StoredResponseServices
{
    public static IServiceCollection AddStoredResponses(this IServiceCollection services, SwitchboardDatabase database)
    {
        services.AddSingleton(sp => new ResponseStore(new ResponseRepository(database), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ResponseStore>>()));
        services.AddSingleton<IResponseStore>(sp => sp.GetRequiredService<ResponseStore>());
        services.AddHostedService(sp => sp.GetRequiredService<ResponseStore>());
        services.AddSingleton<StoredResponsesHook>();
        return services;
    }
}
