using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Limits;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;
using Switchboard.Telemetry;
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
    /// <summary>The model id the gateway sent upstream for the client's model name (the answer's <c>model</c> is what the
    /// upstream reported, as OpenAI itself answers a dated snapshot for an alias; the ledger keeps both).</summary>
    public const string UpstreamModelHeader = "x-switchboard-upstream-model";

    /// <summary>The stop's drain deadline (none for hosts built without one).</summary>
    private CancellationToken Deadline => shutdown?.Deadline ?? default;

    public async Task HandleAsync(HttpContext context, ProxyOperation operation, IOperationHook? hook = null)
    {
        var startedAt = Stopwatch.GetTimestamp();
        // Null while tracing is off; ended (with the ledger row's facts) when the request, stream included, is over.
        using var span = GatewaySpans.StartRequest(context, operation);
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
        if (operation.Kind == OpenAIRequestHead.Kind.Upload)
        {
            await HandleUploadAsync(context, operation, runtime, identity, requestId, startedAt);
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
            var (head, parseError) = operation.ReadHead is { } readHead ? readHead(context, body.Span) : OpenAIRequestHead.Parse(body.Span, operation.Kind);
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
            var preparation = OperationPreparation.None;
            if (hook is not null)
            {
                preparation = await hook.PrepareAsync(context, identity, model, body, head, context.RequestAborted);
                if (preparation.Error is { } refused)
                {
                    preparation.Body?.Dispose();
                    await FinishWithErrorAsync(context, operation, refused, Record(requestId, operation, identity, head.Model, startedAt));
                    return;
                }
            }
            using var replaced = preparation.Body;
            if (replaced is not null)
            {
                (head, parseError) = OpenAIRequestHead.Parse(replaced.Span, operation.Kind);
                if (parseError is not null)
                {
                    await FinishWithErrorAsync(context, operation, parseError, Record(requestId, operation, identity, model.Name, startedAt));
                    return;
                }
            }
            var requestBody = replaced ?? body;
            GatewaySpans.DescribeRequest(span, operation, head, requestBody.Span, runtime.Config.Telemetry.TraceContent);
            var admission = await admissionControl.AdmitAsync(
                new AdmissionRequest(identity, model, new PromptTokens(requestBody.Memory, model.Deployments[0].UpstreamModel), head.MaxTokens)
                {
                    Metering = operation.Metering,
                }, context.RequestAborted);
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
                (final, servedBy) = await RouteAsync(new RouteRequest(context, operation, identity, requestId, startedAt, preparation.PinnedProvider),
                    runtime, model, head, requestBody);
            }
            catch (Exception ex)
            {
                // The ticket must be settled whatever happens, or its parallel slot and budget reservation leak forever.
                SettleCrash(context, admission, Record(requestId, operation, identity, head.Model, startedAt) with { Stream = head.Stream }, ex);
                throw;
            }
            hook?.Complete(context, preparation, final, servedBy);
            usageSink.Record(admission.Settle(final, servedBy));
        }
    }

    /// <summary>
    /// Tries the planned deployments (see <see cref="AttemptLoop"/> for the rules: next deployment, fallbacks, rounds
    /// with backoff, cooldown, refusal chains); returns the request's final ledger record (not yet recorded) and the
    /// deployment that served it.
    /// </summary>
    private async Task<(UsageRecord Final, RoutedDeployment? ServedBy)> RouteAsync(RouteRequest request, GatewayRuntime runtime,
        RoutedModel model, OpenAIRequestHead head, PooledBuffer body)
    {
        var (context, operation) = (request.Context, request.Operation);
        var loop = new AttemptLoop(AttemptPlanner.Plan(model, runtime), runtime.Config.Routing);
        using var upstreamBody = new PooledBuffer(body.Length + 64);
        ChatRequest? canonical = null;
        while (loop.MayAttempt && loop.NextDeployment(time, out var deployment))
        {
            var protocol = deployment.ProtocolFor(operation.Dialect.Wire);
            if (request.PinnedProvider is { } pinned && deployment.Provider.Name != pinned)
            {
                // The conversation lives on one provider (a native previous_response_id): no other can continue it.
                loop.Skip(deployment);
                continue;
            }
            var passthrough = protocol is not null && protocol.Wire == operation.Dialect.Wire;
            if (protocol is null || (!passthrough && !operation.IsChat && operation.Attempts?.Translates(protocol) != true))
            {
                loop.Skip(deployment);
                loop.LastError ??= CannotServe(operation, head.Model, deployment);
                continue;
            }
            if (!passthrough && canonical is null && operation.IsChat)
            {
                // Translation needs the whole request understood; read it once, the first time a deployment needs it.
                var read = operation.Dialect.ReadRequest(body.Span);
                if (!read.IsSuccess)
                {
                    deployment.Health.ReleaseProbe();
                    loop.LastError = GatewayError.InvalidRequest(read.Error!.ToString(), read.Error.Param, read.Error.Code);
                    break;
                }
                canonical = read.Value!;
            }
            if (loop.BackoffBeforeAttempt(deployment) is { } wait && !await BackOffAsync(wait, deployment, context.RequestAborted))
            {
                return (Unanswered(request, loop, head) with { Status = 499, ErrorCode = "client_closed_request" }, loop.LastDeployment);
            }

            using var attemptSpan = GatewaySpans.StartAttempt(operation, deployment, loop.Attempts + 1, loop.LastDeployment);
            loop.BeginAttempt(deployment);
            // Set before every attempt: whichever attempt answers (or fails last) is what the client sees.
            context.Response.Headers[AttemptsHeader] = loop.Attempts.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers[ProviderHeader] = deployment.Provider.Name;
            context.Response.Headers[UpstreamModelHeader] = deployment.UpstreamModel;
            if (loop.Attempts > 1) ForgetEarlierAttemptNotes(context.Response.Headers);
            var attemptStarted = Stopwatch.GetTimestamp();
            deployment.Health.Enter();
            AttemptOutcome outcome;
            try
            {
                outcome = await AttemptDispatch.RunAsync(context, operation, deployment, protocol, passthrough, canonical, head, body, upstreamBody,
                    runtime.Config.Media, Deadline, request.Form);
            }
            finally
            {
                deployment.Health.Exit();
            }
            GatewaySpans.EndAttempt(attemptSpan, deployment, outcome);
            loop.LogAttempt(deployment, outcome.Result switch
            {
                AttemptResult.Completed => 200,
                AttemptResult.ClientGone => 499,
                _ => outcome.Error!.Status,
            });
            loop.ReportHealth(deployment, outcome, attemptStarted, time);
            if (outcome.Result is AttemptResult.Completed or AttemptResult.ClientGone or AttemptResult.FailedAfterStart)
            {
                return (Answered(request, in loop, head, deployment, outcome), deployment);
            }
            LogUpstreamFailure(request.RequestId, deployment, outcome.Error!);
            if (!loop.OnFailure(outcome.Error!, model, runtime)) break;
        }

        var error = loop.LastError ?? GatewayError.Internal("No deployment could serve the request.");
        await operation.Dialect.WriteErrorAsync(context.Response, error);
        return (Failed(Unanswered(request, loop, head), error), loop.LastDeployment);
    }

    /// <summary>
    /// What an earlier attempt noted for its own upstream (fields adapted, hosted tools left out) is not this attempt's:
    /// removed before a retry or failover, so a relayed answer after a translated attempt carries none of it.
    /// </summary>
    private static void ForgetEarlierAttemptNotes(IHeaderDictionary headers)
    {
        headers.Remove(RequestAdjustments.Header);
        headers.Remove(HostedTools.Header);
    }

    /// <summary>Waits before retrying a deployment; false when the client went away meanwhile.</summary>
    private async ValueTask<bool> BackOffAsync(TimeSpan wait, RoutedDeployment deployment, CancellationToken clientGone)
    {
        try
        {
            await Task.Delay(wait, time, clientGone);
            return true;
        }
        catch (OperationCanceledException)
        {
            deployment.Health.ReleaseProbe();
            return false;
        }
    }

    /// <summary>
    /// The client asked this model for an operation its deployments cannot serve: a 400 naming why, not a gateway
    /// failure.
    /// </summary>
    private static GatewayError CannotServe(ProxyOperation operation, string model, RoutedDeployment deployment) => GatewayError.InvalidRequest(
        $"Model '{model}' cannot serve {operation.Name}: provider '{deployment.Provider.Name}' has type '{deployment.Provider.Config.Type}', which cannot serve {operation.Name} yet.",
        "model", "unsupported_operation");

    /// <summary>Refusals before routing (auth, validation, admission): recorded here, since no ticket was issued.</summary>
    private async Task FinishWithErrorAsync(HttpContext context, ProxyOperation operation, GatewayError error, UsageRecord record)
    {
        usageSink.Record(record with { Status = error.Status, ErrorCode = error.Code ?? error.Type, ClientRequestId = RequestIds.ClientId(context) });
        await operation.Dialect.WriteErrorAsync(context.Response, error);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId}: routing failed")]
    private static partial void LogRouteFailure(ILogger logger, string requestId, Exception exception);

    /// <summary>
    /// An attempt's failure as an operator needs it: who, which model, the status, the error's code (or type), its
    /// message and what the upstream itself answered (its status and own error type, or the transport error) —
    /// scrubbed once more of every secret the gateway holds (the text may quote upstream words) and cut to a
    /// readable length.
    /// </summary>
    private void LogUpstreamFailure(string requestId, RoutedDeployment deployment, GatewayError error)
    {
        if (!logger.IsEnabled(LogLevel.Warning)) return;
        var config = runtimes.Current.Config;
        string?[] secrets = [deployment.Provider.Config.ApiKey, config.MasterKey, config.Telemetry.MetricsToken, .. config.Keys.Select(k => k.Key)];
        var message = SecretScrubber.Scrub(Cut(error.Message), secrets);
        var code = error.Code ?? error.Type;
        if (error.UpstreamAnswer is { } upstream)
        {
            LogFailureAndUpstreamAnswer(logger, requestId, deployment.Provider.Name, deployment.UpstreamModel, error.Status, code, message, SecretScrubber.Scrub(Cut(upstream), secrets));
        }
        else
        {
            LogFailureWithoutUpstreamAnswer(logger, requestId, deployment.Provider.Name, deployment.UpstreamModel, error.Status, code, message);
        }
    }

    /// <summary>The text cut to <see cref="MaxLoggedMessage"/> characters.</summary>
    private static string Cut(string text) => text.Length > MaxLoggedMessage ? string.Concat(text.AsSpan(0, MaxLoggedMessage), "…") : text;

    private const int MaxLoggedMessage = 500;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: provider {Provider} (model {UpstreamModel}) failed with {Status} {Code}: {Message} (upstream: {Upstream})")]
    private static partial void LogFailureAndUpstreamAnswer(ILogger logger, string requestId, string provider, string upstreamModel, int status, string code, string message, string upstream);

    /// <summary>A failure the upstream said nothing about (a timeout, a cut stream): no upstream part.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: provider {Provider} (model {UpstreamModel}) failed with {Status} {Code}: {Message}")]
    private static partial void LogFailureWithoutUpstreamAnswer(ILogger logger, string requestId, string provider, string upstreamModel, int status, string code, string message);
}
