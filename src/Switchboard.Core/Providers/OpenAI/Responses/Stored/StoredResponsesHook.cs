using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>
/// The Responses API's state around the stateless proxy. Before a request: its <c>previous_response_id</c> is looked
/// up (missing, expired or another key's: 404), then either the request stays on the provider that holds that
/// conversation (it answered through its own Responses API and still serves this model so) or the conversation is
/// rebuilt into the request for whichever upstream answers (<see cref="ConversationRebuilder"/>). When it is to be
/// stored (<c>store</c>, default <c>responses.store</c>), what the client is sent is teed (<see cref="ResponseCapture"/>);
/// after a successful request the final response object is saved with the request's input items, off the request path.
/// A <c>background: true</c> request runs in the foreground (<see cref="ForegroundRequest"/>).
/// </summary>
public sealed partial class StoredResponsesHook(IResponseStore store, RuntimeHolder runtimes, TimeProvider time, ILogger<StoredResponsesHook> logger)
    : IOperationHook
{
    /// <summary>The largest response object stored (16 MiB); a larger one is answered but not kept.</summary>
    public const int MaxStoredBytes = 16 * 1024 * 1024;

    public async ValueTask<OperationPreparation> PrepareAsync(HttpContext context, ClientIdentity identity, RoutedModel model, PooledBuffer body,
        OpenAIRequestHead head, CancellationToken cancel)
    {
        // Not an object: nothing to do here, the dialect's reader refuses it with the reason.
        if (StoredRequestFields.Read(body.Span) is not { } fields) return OperationPreparation.None;
        var settings = runtimes.Current.Config.Responses;
        var owner = ResponseOwner.Of(identity);
        PooledBuffer? rebuilt = null;
        string? pinned = null;
        if (fields.PreviousResponseId is { } previousId)
        {
            try
            {
                var now = time.GetUtcNow();
                var previous = await store.FindAsync(previousId, owner, now, cancel);
                if (previous is null) return new OperationPreparation(StoredResponseErrors.PreviousNotFound(previousId));
                if (previous.Native && ServesNatively(model, previous.Provider))
                {
                    pinned = previous.Provider;
                }
                else
                {
                    var chain = await store.FindChainAsync(previousId, owner, now, cancel);
                    // Deleted between the two reads.
                    if (chain.Count == 0) return new OperationPreparation(StoredResponseErrors.PreviousNotFound(previousId));
                    rebuilt = ConversationRebuilder.Rebuild(body.Memory, chain, keepPreviousId: !MayReachResponsesApi(model), inForeground: fields.Background);
                }
            }
            catch (Exception ex)
            {
                if (!cancel.IsCancellationRequested) LogLookupFailed(logger, ex.GetType().Name, ex.Message);
                return new OperationPreparation(StoredResponseErrors.Unavailable);
            }
        }
        // A rebuilt request left background out already.
        if (fields.Background && rebuilt is null) rebuilt = ForegroundRequest.Of(body.Span);
        if (!(fields.Store ?? settings.Store)) return new OperationPreparation(Body: rebuilt, PinnedProvider: pinned);
        var capture = ResponseCapture.Install(context, MaxStoredBytes);
        var pending = capture is null ? null : new PendingResponse(owner, fields.PreviousResponseId,
            fields.Input is { } input ? body.Span[input].ToArray() : null, capture, settings.Retention);
        return new OperationPreparation(Body: rebuilt, PinnedProvider: pinned, State: pending);
    }

    public void Complete(HttpContext context, in OperationPreparation preparation, UsageRecord final, RoutedDeployment? servedBy)
    {
        if (preparation.State is not PendingResponse pending || final.Status != StatusCodes.Status200OK || servedBy is null) return;
        try
        {
            // Only copies here (the JSON was validated by one reader pass as it was taken); the store's writer does the rest.
            if (pending.Capture.TakeResponse() is not { } response)
            {
                LogNothingToStore(logger, final.RequestId);
                return;
            }
            var now = time.GetUtcNow();
            store.Save(new StoredResponse
            {
                Id = response.Id,
                Owner = pending.Owner,
                CreatedAt = now,
                ExpiresAt = now + pending.Retention,
                Provider = servedBy.Provider.Name,
                UpstreamModel = servedBy.UpstreamModel,
                Native = IsNative(servedBy),
                PreviousResponseId = pending.PreviousResponseId,
                InputItemsJson = InputItems.ToJsonArray(pending.Input),
                ResponseJson = System.Text.Encoding.UTF8.GetString(response.Json.Span),
            });
        }
        catch (Exception ex)
        {
            // Never fails the request: it has been answered.
            LogNotStored(logger, final.RequestId, ex.GetType().Name);
        }
    }

    /// <summary>A deployment that answers Responses clients through the upstream's own Responses API.</summary>
    public static bool IsNative(RoutedDeployment deployment) => deployment.ProtocolFor(Wires.OpenAIResponses)?.Wire == Wires.OpenAIResponses;

    /// <summary>
    /// Whether a request for <paramref name="model"/> may reach an upstream's own Responses API (relayed, or translated
    /// for an <c>api: responses</c> deployment), where a gateway-made <c>previous_response_id</c> would be unknown.
    /// Fallback models are not resolved here: any counts as may.
    /// </summary>
    private static bool MayReachResponsesApi(RoutedModel model)
    {
        if (!model.Fallbacks.IsEmpty || !model.ContextWindowFallbacks.IsEmpty || !model.ContentPolicyFallbacks.IsEmpty) return true;
        foreach (var deployment in model.Deployments)
        {
            if (IsNative(deployment)) return true;
        }
        return false;
    }

    private static bool ServesNatively(RoutedModel model, string provider)
    {
        foreach (var deployment in model.Deployments)
        {
            if (deployment.Provider.Name == provider && IsNative(deployment)) return true;
        }
        return false;
    }

    /// <summary>What a request to be stored carries from <see cref="PrepareAsync"/> to <see cref="Complete"/>.</summary>
    private sealed record PendingResponse(string Owner, string? PreviousResponseId, byte[]? Input, ResponseCapture Capture, TimeSpan Retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored responses: previous_response_id lookup failed ({Kind}: {Reason})")]
    private static partial void LogLookupFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: no response object to store (none sent, or larger than the bound)")]
    private static partial void LogNothingToStore(ILogger logger, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: its response could not be stored ({Kind})")]
    private static partial void LogNotStored(ILogger logger, string requestId, string kind);
}
