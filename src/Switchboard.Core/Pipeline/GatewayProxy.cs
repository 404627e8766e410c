using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Auth;
using Switchboard.Providers.OpenAI;
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
    TimeProvider time, ILogger<GatewayProxy> logger, ShutdownDrain? shutdown = null)
{
    /// <summary>How many upstream attempts the answer took (fallovers are never invisible).</summary>
    public const string AttemptsHeader = "x-switchboard-attempts";
    /// <summary>The provider (config name) that produced the answer.</summary>
    public const string ProviderHeader = "x-switchboard-provider";

    /// <summary>The stop's drain deadline (none for hosts built without one).</summary>
    private CancellationToken Deadline => shutdown?.Deadline ?? default;

    public async Task HandleAsync(HttpContext context, ProxyOperation operation)
    {
        var startedAt = Stopwatch.GetTimestamp();
        // Held until the request (stream included) is over: a reload retires this runtime only after that.
        using var lease = runtimes.Lease();
        var runtime = lease.Runtime;
        var requestId = RequestIds.Get(context);
        var dialect = operation.Dialect;

        var (identity, authError) = await ClientAuthenticator.AuthenticateAsync(context.Request, runtime, time, context.RequestAborted);
        if (identity is null)
        {
            await FinishWithErrorAsync(context, operation, authError!, Record(requestId, operation, null, "", startedAt));
            return;
        }

        var (body, readError) = await RequestBodyReader.ReadJsonAsync(context.Request, context.RequestAborted, runtime.Config.Server.MaxBodySize);
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
            if (!identity.MayUse(head.Model) || !runtime.TryResolveModel(identity, head.Model, out var model))
            {
                await FinishWithErrorAsync(context, operation, ModelNotFoundHint.For(runtime, identity, head.Model), Record(requestId, operation, identity, head.Model, startedAt));
                return;
            }
            var admission = await admissionControl.AdmitAsync(
                new AdmissionRequest(identity, model, new PromptTokens(body.Memory, model.Deployments[0].UpstreamModel), head.MaxTokens), context.RequestAborted);
            // By index: a foreach over the interface would box the list's enumerator on every request.
            var limitHeaders = admission.Headers;
            for (var i = 0; i < limitHeaders.Count; i++) context.Response.Headers[limitHeaders[i].Key] = limitHeaders[i].Value;
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
                    ClientRequestId = RequestIds.ClientId(context),
                }, null));
                if (!gone) LogRouteFailure(logger, requestId, ex);
                throw;
            }
            usageSink.Record(admission.Settle(final, servedBy));
        }
    }

    /// <summary>
    /// Tries the planned deployments; returns the request's final ledger record (not yet recorded) and the deployment
    /// that served it. Rules: transient failures (429, 5xx, connect, timeouts) move on to the next deployment, then the
    /// fallback models, then another round with exponential backoff and jitter, up to <see cref="Config.RoutingSettings.MaxAttempts"/>;
    /// a Retry-After longer than <see cref="Config.RoutingSettings.MaxRetryWait"/> takes that deployment out of this
    /// request (and into cooldown) instead of waiting; context-window and content-policy refusals switch to the chain
    /// configured for them; client errors end at once. Deployments in cooldown are skipped while others remain; when
    /// none remain, the least-bad one is still tried once.
    /// </summary>
    private async Task<(UsageRecord Final, RoutedDeployment? ServedBy)> RouteAsync(HttpContext context, ProxyOperation operation, GatewayRuntime runtime, ClientIdentity identity,
        RoutedModel model, OpenAIRequestHead head, PooledBuffer body, string requestId, long startedAt)
    {
        var routing = runtime.Config.Routing;
        var plan = AttemptPlanner.Plan(model, runtime);
        if (plan.Count > RoutePlanState.MaxCandidates) plan.RemoveRange(RoutePlanState.MaxCandidates, plan.Count - RoutePlanState.MaxCandidates);
        using var upstreamBody = new PooledBuffer(body.Length + 64);
        ChatRequest? canonical = null;
        GatewayError? lastError = null;
        RoutedDeployment? lastDeployment = null;
        string? attemptLog = null;
        var attempts = 0;
        var retries = 0;
        var state = new RoutePlanState(plan.Count);
        var switchedChain = false;

        while (attempts < routing.MaxAttempts)
        {
            var now = time.GetUtcNow();
            var index = state.NextAdmitted(plan, now);
            var forced = false;
            if (index < 0)
            {
                // Everything left in this round is cooling down: try the least-bad one rather than fail without trying.
                index = state.LeastBad(plan);
                if (index < 0)
                {
                    if (!state.StartNextRound()) break;
                    continue;
                }
                forced = true;
            }
            var deployment = plan[index];
            var provider = deployment.Provider;
            var protocol = provider.Protocol;
            var passthrough = protocol is not null && protocol.Wire == operation.Dialect.Wire;
            if (protocol is null || (!passthrough && !operation.IsChat))
            {
                state.Exclude(index);
                deployment.Health.ReleaseProbe();
                // The client asked this model for an operation its deployments cannot serve: a 400 naming why, not a
                // gateway failure.
                lastError ??= GatewayError.InvalidRequest(
                    $"Model '{head.Model}' cannot serve {operation.Name}: provider '{provider.Name}' has type '{provider.Config.Type}', which cannot serve {operation.Name} yet.",
                    "model", "unsupported_operation");
                continue;
            }
            if (!passthrough && canonical is null)
            {
                // Translation needs the whole request understood; read it once, the first time a deployment needs it.
                var read = operation.Dialect.ReadRequest(body.Span);
                if (!read.IsSuccess)
                {
                    deployment.Health.ReleaseProbe();
                    var invalid = read.Error!;
                    lastError = GatewayError.InvalidRequest(invalid.ToString(), invalid.Param, invalid.Code);
                    break;
                }
                canonical = read.Value!;
            }

            if (state.WasTried(index))
            {
                // Retrying a deployment this request already used: back off (exponentially, with jitter), and at
                // least as long as it asked for.
                var wait = Backoff(routing, ++retries);
                if (lastDeployment == deployment && lastError?.RetryAfter is { } retryAfter && retryAfter > wait) wait = retryAfter;
                try
                {
                    await Task.Delay(wait, time, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    deployment.Health.ReleaseProbe();
                    return (Record(requestId, operation, identity, head.Model, startedAt) with
                    {
                        Status = 499, ErrorCode = "client_closed_request", Attempts = attempts, AttemptLog = attemptLog, Stream = head.Stream,
                        Provider = lastDeployment?.Provider.Name, UpstreamModel = lastDeployment?.UpstreamModel,
                        ClientRequestId = RequestIds.ClientId(context),
                    }, lastDeployment);
                }
            }

            attempts++;
            state.MarkTried(index);
            if (forced) state.Exclude(index); // a cooling deployment gets one forced try per request, not one per round
            lastDeployment = deployment;
            // Set before every attempt: whichever attempt answers (or fails last) is what the client sees.
            context.Response.Headers[AttemptsHeader] = attempts.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers[ProviderHeader] = provider.Name;

            var attemptStarted = Stopwatch.GetTimestamp();
            var health = deployment.Health;
            health.Enter();
            AttemptOutcome outcome;
            try
            {
                outcome = await AttemptDispatch.RunAsync(context, operation, deployment, passthrough, canonical, head, body, upstreamBody, runtime.Config.Media, Deadline);
            }
            finally
            {
                health.Exit();
            }
            var status = outcome.Result switch
            {
                AttemptResult.Completed => 200,
                AttemptResult.ClientGone => 499,
                _ => outcome.Error!.Status,
            };
            attemptLog = attempts == 1 && status == 200 ? deployment.FirstTrySuccessLog
                : AttemptLogEntry(attemptLog, provider.Name, status);
            ReportHealth(deployment, outcome, attemptStarted, routing);

            // The row is built once with its final status: no `with` copy per outcome.
            var (finalStatus, errorCode) = outcome.Result switch
            {
                AttemptResult.Completed => (200, null),
                AttemptResult.ClientGone => (499, "client_closed_request"),
                AttemptResult.FailedAfterStart => (outcome.Error!.Status, outcome.Error.Code),
                _ => (0, null),
            };
            if (finalStatus != 0)
            {
                if (outcome.Result == AttemptResult.FailedAfterStart) LogUpstreamFailure(requestId, deployment, outcome.Error!);
                return (new UsageRecord
                {
                    RequestId = requestId,
                    ClientRequestId = RequestIds.ClientId(context),
                    Timestamp = time.GetUtcNow(),
                    KeyName = identity is { IsAnonymous: false } ? identity.Name : null,
                    KeyId = identity?.KeyId,
                    Team = identity?.Team,
                    Endpoint = operation.Name,
                    Model = head.Model,
                    Status = finalStatus,
                    ErrorCode = errorCode,
                    LatencyMs = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds,
                    Provider = provider.Name,
                    UpstreamModel = deployment.UpstreamModel,
                    Stream = head.Stream,
                    Usage = outcome.Usage,
                    UsageMissing = !outcome.UsageReported,
                    Attempts = attempts,
                    AttemptLog = attemptLog,
                    TimeToFirstTokenMs = outcome.FirstByteTimestamp is { } first ? Stopwatch.GetElapsedTime(startedAt, first).TotalMilliseconds : null,
                }, deployment);
            }
            lastError = outcome.Error!;
            LogUpstreamFailure(requestId, deployment, lastError);
            if (lastError.Disposition == ErrorDisposition.Retryable)
            {
                // A long Retry-After is not slept through: the deployment sits this request out (and cools down).
                if (lastError.RetryAfter > routing.MaxRetryWait || lastError.Status < 500 && lastError.Status is not (429 or 408)) state.Exclude(index);
                continue;
            }
            if (lastError.Disposition is ErrorDisposition.ContextWindowExceeded or ErrorDisposition.ContentPolicy)
            {
                // Another deployment of the same model would refuse the same way: only the chain for this case may help.
                if (switchedChain)
                {
                    state.Exclude(index);
                    continue;
                }
                var chain = lastError.Disposition == ErrorDisposition.ContextWindowExceeded ? model.ContextWindowFallbacks : model.ContentPolicyFallbacks;
                if (chain.IsEmpty) break;
                plan = AttemptPlanner.PlanChain(chain, runtime);
                if (plan.Count > RoutePlanState.MaxCandidates) plan.RemoveRange(RoutePlanState.MaxCandidates, plan.Count - RoutePlanState.MaxCandidates);
                state = new RoutePlanState(plan.Count);
                switchedChain = true;
                continue;
            }
            // The client's own mistakes would fail everywhere.
            break;
        }

        lastError ??= GatewayError.Internal("No deployment could serve the request.");
        await operation.Dialect.WriteErrorAsync(context.Response, lastError);
        return (Failed(Record(requestId, operation, identity, head.Model, startedAt) with
        {
            Provider = lastDeployment?.Provider.Name,
            UpstreamModel = lastDeployment?.UpstreamModel,
            Stream = head.Stream,
            Attempts = attempts,
            AttemptLog = attemptLog,
            ClientRequestId = RequestIds.ClientId(context),
        }, lastError), lastDeployment);
    }

    /// <summary>Feeds an attempt's result to the deployment's passive health (cooldown, latency average).</summary>
    private void ReportHealth(RoutedDeployment deployment, in AttemptOutcome outcome, long attemptStarted, Config.RoutingSettings routing)
    {
        var health = deployment.Health;
        switch (outcome.Result)
        {
            case AttemptResult.Completed:
                health.ReportSuccess(outcome.FirstByteTimestamp is { } first ? Stopwatch.GetElapsedTime(attemptStarted, first) : null);
                return;
            case AttemptResult.ClientGone:
                health.ReleaseProbe();
                return;
        }
        var error = outcome.Error!;
        if (IsDeploymentFault(error)) health.ReportFailure(error, time.GetUtcNow(), routing.CooldownFailures, routing.Cooldown);
        else if (error.Disposition == ErrorDisposition.Retryable) health.ReleaseProbe(); // e.g. a request this provider type cannot express
        else health.ReportSuccess(null); // the upstream answered; the request was the problem
    }

    /// <summary>Trouble of the deployment itself (not of the request): what counts towards its cooldown.</summary>
    private static bool IsDeploymentFault(GatewayError error) =>
        error.Disposition == ErrorDisposition.Retryable && (error.Status >= 500 || error.Status is 429 or 408);

    /// <summary>Exponential backoff with jitter: base·2^(n-1), capped, times a random factor in [0.5, 1).</summary>
    private static TimeSpan Backoff(Config.RoutingSettings routing, int retry)
    {
        var exponential = routing.Backoff.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 20));
        var capped = Math.Min(exponential, routing.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() / 2));
    }

    private static string AttemptLogEntry(string? log, string provider, int status)
    {
        var entry = string.Concat(provider, ":", status.ToString(CultureInfo.InvariantCulture));
        return log is null ? entry : string.Concat(log, ",", entry);
    }

    /// <summary>Refusals before routing (auth, validation, admission): recorded here, since no ticket was issued.</summary>
    private async Task FinishWithErrorAsync(HttpContext context, ProxyOperation operation, GatewayError error, UsageRecord record)
    {
        usageSink.Record(record with { Status = error.Status, ErrorCode = error.Code ?? error.Type, ClientRequestId = RequestIds.ClientId(context) });
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

    /// <summary>
    /// An attempt's failure as an operator needs it: who, which model, the status, the error's code (or type) and its
    /// message — scrubbed once more (the message may quote upstream text) and cut to a readable length.
    /// </summary>
    private void LogUpstreamFailure(string requestId, RoutedDeployment deployment, GatewayError error)
    {
        if (!logger.IsEnabled(LogLevel.Warning)) return;
        var message = error.Message.Length > MaxLoggedMessage ? string.Concat(error.Message.AsSpan(0, MaxLoggedMessage), "…") : error.Message;
        LogUpstreamFailure(logger, requestId, deployment.Provider.Name, deployment.UpstreamModel, error.Status, error.Code ?? error.Type,
            SecretScrubber.Scrub(message, deployment.Provider.Config.ApiKey));
    }

    private const int MaxLoggedMessage = 500;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: provider {Provider} (model {UpstreamModel}) failed with {Status} {Code}: {Message}")]
    private static partial void LogUpstreamFailure(ILogger logger, string requestId, string provider, string upstreamModel, int status, string code, string message);
}
