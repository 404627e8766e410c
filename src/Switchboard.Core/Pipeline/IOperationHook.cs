using Microsoft.AspNetCore.Http;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>
/// State an operation keeps across requests (the Responses API's stored responses and <c>previous_response_id</c>),
/// run around the stateless proxy: <see cref="PrepareAsync"/> once the key and model are known, before admission;
/// <see cref="Complete"/> once the request is over, whatever its end. One instance per operation, shared by requests.
/// </summary>
public interface IOperationHook
{
    /// <summary>
    /// May refuse the request (<see cref="OperationPreparation.Error"/>, in the operation's dialect), replace its body
    /// (<see cref="OperationPreparation.Body"/>, owned and disposed by the proxy; its head re-parsed) or keep it on one
    /// provider (<see cref="OperationPreparation.PinnedProvider"/>).
    /// </summary>
    ValueTask<OperationPreparation> PrepareAsync(HttpContext context, ClientIdentity identity, RoutedModel model, PooledBuffer body,
        OpenAIRequestHead head, CancellationToken cancel);

    /// <summary>The request is over with <paramref name="final"/> as its ledger record; never throws, never blocks on I/O.</summary>
    void Complete(HttpContext context, in OperationPreparation preparation, UsageRecord final, RoutedDeployment? servedBy);
}

/// <summary>What <see cref="IOperationHook.PrepareAsync"/> decided; <see cref="State"/> is the hook's own, handed back to it.</summary>
public readonly record struct OperationPreparation(GatewayError? Error = null, PooledBuffer? Body = null, string? PinnedProvider = null, object? State = null)
{
    public static OperationPreparation None => default;
}
