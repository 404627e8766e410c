using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Auth;
using Switchboard.Dialects.OpenAIChat;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Limits;
using Switchboard.Routing;
using Switchboard.Translation.Canonical;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>
/// Serves the generation endpoints of every client dialect: authenticate, validate, route, and try the planned
/// deployments in turn — relaying bytes untranslated when the upstream speaks the client's wire, translating through
/// the canonical model when it does not — falling over while nothing has reached the client, and recording usage.
/// </summary>
/// <remarks>
/// Ownership: <see cref="HandleAsync"/> owns the request's lifecycle around routing (authentication, admission
/// control, settling and recording the ledger row); <see cref="RouteAsync"/> owns the attempts and returns the final
/// record without recording it.
/// </remarks>
public sealed partial class GatewayProxy(RuntimeHolder runtimes, IAdmissionControl admissionControl, IUsageSink usageSink,
    TimeProvider time, ILogger<GatewayProxy> logger)
{
    /// <summary>How many upstream attempts the answer took (fallovers are never invisible).</summary>
    public const string AttemptsHeader = "x-switchboard-attempts";
    /// <summary>The provider (config name) that produced the answer.</summary>
    public const string ProviderHeader = "x-switchboard-provider";

    public async Task HandleAsync(HttpContext context, ProxyOperation operation)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var runtime = runtimes.Current;
        var requestId = RequestIds.Get(context);
        var dialect = operation.Dialect;

        var (identity, authError) = ClientAuthenticator.Authenticate(context.Request, runtime, time);
        if (identity is null)
        {
            await FinishWithErrorAsync(context, operation, authError!, Record(requestId, operation, null, "", startedAt));
            return;
        }

        var (body, readError) = await RequestBodyReader.ReadJsonAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            await FinishWithErrorAsync(context, operation, readError!, Record(requestId, operation, identity, "", startedAt));
            return;
        }
        using (body)
        {
            var (head, parseError) = OpenAIRequestHead.Parse(body.Span, operation.Kind);
            if (parseError is not null)
            {
                await FinishWithErrorAsync(context, operation, parseError, Record(requestId, operation, identity, "", startedAt));
                return;
            }
            if (!runtime.Models.TryGetValue(head.Model, out var model) || !identity.MayUse(head.Model))
            {
                await FinishWithErrorAsync(context, operation, GatewayError.ModelNotFound(head.Model), Record(requestId, operation, identity, head.Model, startedAt));
                return;
            }
            var admission = await admissionControl.AdmitAsync(
                new AdmissionRequest(identity, model, TokenEstimator.EstimateFromBytes(body.Length), head.MaxTokens), context.RequestAborted);
            foreach (var (name, value) in admission.Headers) context.Response.Headers[name] = value;
            if (admission.Rejection is { } rejection)
            {
                await FinishWithErrorAsync(context, operation, rejection, Record(requestId, operation, identity, head.Model, startedAt));
                return;
            }
            admission.Observe(context);
            UsageRecord final;
            RoutedDeployment? servedBy;
            try
            {
                (final, servedBy) = await RouteAsync(context, operation, runtime, identity, model, head, body, requestId, startedAt);
            }
            catch (Exception ex)
            {
                // The ticket must be settled whatever happens, or its parallel slot and budget reservation leak forever.
                var gone = context.RequestAborted.IsCancellationRequested;
                usageSink.Record(admission.Settle(Record(requestId, operation, identity, head.Model, startedAt) with
                {
                    Stream = head.Stream,
                    Status = gone ? 499 : 500,
                    ErrorCode = gone ? "client_closed_request" : "internal_error",
                    UsageMissing = true,
                }, null));
                if (!gone) LogRouteFailure(logger, requestId, ex);
                throw;
            }
            usageSink.Record(admission.Settle(final, servedBy));
        }
    }

    /// <summary>Tries the planned deployments; returns the request's final ledger record (not yet recorded) and the deployment that served it.</summary>
    private async Task<(UsageRecord Final, RoutedDeployment? ServedBy)> RouteAsync(HttpContext context, ProxyOperation operation, GatewayRuntime runtime, ClientIdentity identity,
        RoutedModel model, OpenAIRequestHead head, PooledBuffer body, string requestId, long startedAt)
    {
        var plan = AttemptPlanner.Plan(model, runtime);
        using var upstreamBody = new PooledBuffer(body.Length + 64);
        ChatRequest? canonical = null;
        GatewayError? lastError = null;
        RoutedDeployment? lastDeployment = null;
        var attempts = 0;

        foreach (var deployment in plan)
        {
            var provider = deployment.Provider;
            var protocol = provider.Protocol;
            var passthrough = protocol is not null && protocol.Wire == operation.Dialect.Wire;
            if (protocol is null || (!passthrough && !operation.IsChat))
            {
                lastError = new GatewayError(501, "upstream_error", "provider_type_not_supported",
                    $"Provider '{provider.Name}' has type '{provider.Config.Type}', which cannot serve {operation.Name} yet.",
                    ErrorDisposition.Gateway);
                continue;
            }
            if (!passthrough && canonical is null)
            {
                // Translation needs the whole request understood; read it once, the first time a deployment needs it.
                var read = operation.Dialect.ReadRequest(body.Span);
                if (!read.IsSuccess)
                {
                    var invalid = read.Error!;
                    lastError = GatewayError.InvalidRequest(invalid.ToString(), invalid.Param, invalid.Code);
                    break;
                }
                canonical = read.Value!;
            }

            attempts++;
            lastDeployment = deployment;
            // Set before every attempt: whichever attempt answers (or fails last) is what the client sees.
            context.Response.Headers[AttemptsHeader] = attempts.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers[ProviderHeader] = provider.Name;

            var outcome = !passthrough
                ? await TranslatedAttempt.RunAsync(context, operation.Dialect, deployment, protocol, canonical!, upstreamBody)
                : protocol.Wire == Providers.Wires.OpenAIChat
                    ? await OpenAIPassthroughAttempt.RunAsync(context,
                        operation.OpenAITarget is { } target ? target(provider.Target!, deployment.UpstreamModel) : protocol.ChatUri(deployment.UpstreamModel, head.Stream),
                        deployment, provider.Target!, head, body, upstreamBody)
                    : await ObservedPassthroughAttempt.RunAsync(context, operation.Dialect, deployment, protocol, head, body, upstreamBody);

            var record = Record(requestId, operation, identity, model.Name, startedAt) with
            {
                Provider = provider.Name,
                UpstreamModel = deployment.UpstreamModel,
                Stream = head.Stream,
                Usage = outcome.Usage,
                UsageMissing = !outcome.UsageReported,
                Attempts = attempts,
                TimeToFirstTokenMs = outcome.FirstByteTimestamp is { } first ? Stopwatch.GetElapsedTime(startedAt, first).TotalMilliseconds : null,
            };
            switch (outcome.Result)
            {
                case AttemptResult.Completed:
                    return (record with { Status = 200 }, deployment);
                case AttemptResult.ClientGone:
                    return (record with { Status = 499, ErrorCode = "client_closed_request" }, deployment);
                case AttemptResult.FailedAfterStart:
                    LogUpstreamFailure(logger, requestId, provider.Name, outcome.Error!.Status, outcome.Error.Code);
                    return (record with { Status = outcome.Error.Status, ErrorCode = outcome.Error.Code }, deployment);
            }
            lastError = outcome.Error!;
            LogUpstreamFailure(logger, requestId, provider.Name, lastError.Status, lastError.Code);
            // Only transient trouble is worth another deployment; the client's own mistakes would fail everywhere.
            if (lastError.Disposition != ErrorDisposition.Retryable) break;
        }

        lastError ??= GatewayError.Internal("No deployment could serve the request.");
        await operation.Dialect.WriteErrorAsync(context.Response, lastError);
        return (Failed(Record(requestId, operation, identity, model.Name, startedAt) with
        {
            Provider = lastDeployment?.Provider.Name,
            UpstreamModel = lastDeployment?.UpstreamModel,
            Stream = head.Stream,
            Attempts = attempts,
        }, lastError), lastDeployment);
    }

    /// <summary>Refusals before routing (auth, validation, admission): recorded here, since no ticket was issued.</summary>
    private async Task FinishWithErrorAsync(HttpContext context, ProxyOperation operation, GatewayError error, UsageRecord record)
    {
        usageSink.Record(Failed(record, error));
        await operation.Dialect.WriteErrorAsync(context.Response, error);
    }

    private static UsageRecord Failed(UsageRecord record, GatewayError error) => record with { Status = error.Status, ErrorCode = error.Code ?? error.Type };

    private UsageRecord Record(string requestId, ProxyOperation operation, ClientIdentity? identity, string model, long startedAt) => new()
    {
        RequestId = requestId,
        Timestamp = time.GetUtcNow(),
        KeyName = identity is { IsAnonymous: false } ? identity.Name : null,
        KeyId = identity?.KeyId,
        Team = identity?.Team,
        Endpoint = operation.Name,
        Model = model,
        Status = 0,
        LatencyMs = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId}: routing failed")]
    private static partial void LogRouteFailure(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: provider {Provider} failed with {Status} {Code}")]
    private static partial void LogUpstreamFailure(ILogger logger, string requestId, string provider, int status, string? code);
}
