using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>The ledger records of <see cref="GatewayProxy"/>'s requests, each built once.</summary>
public sealed partial class GatewayProxy
{
    /// <summary>
    /// The record of an attempt that ended the request: the answer (or its cut), or the client leaving. Built once
    /// with its final status: no <c>with</c> copy per outcome.
    /// </summary>
    private UsageRecord Answered(in RouteRequest request, in AttemptLoop loop, in OpenAIRequestHead head, RoutedDeployment deployment, in AttemptOutcome outcome)
    {
        var (status, errorCode) = outcome.Result switch
        {
            AttemptResult.Completed => (200, null),
            AttemptResult.ClientGone => (499, "client_closed_request"),
            _ => (outcome.Error!.Status, outcome.Error.Code),
        };
        if (outcome.Result == AttemptResult.FailedAfterStart) LogUpstreamFailure(request.RequestId, deployment, outcome.Error!);
        var identity = request.Identity;
        return new UsageRecord
        {
            RequestId = request.RequestId,
            ClientRequestId = RequestIds.ClientId(request.Context),
            Timestamp = time.GetUtcNow(),
            KeyName = identity is { IsAnonymous: false } ? identity.Name : null,
            KeyId = identity?.KeyId,
            Team = identity?.Team,
            Endpoint = request.Operation.Name,
            Model = head.Model,
            Status = status,
            ErrorCode = errorCode,
            LatencyMs = Stopwatch.GetElapsedTime(request.StartedAt).TotalMilliseconds,
            Provider = deployment.Provider.Name,
            UpstreamModel = deployment.UpstreamModel,
            Stream = head.Stream,
            Usage = outcome.Usage,
            Units = outcome.Units,
            UsageMissing = !outcome.UsageReported,
            Attempts = loop.Attempts,
            AttemptLog = loop.AttemptLog,
            Adjusted = outcome.Adjusted,
            TimeToFirstTokenMs = outcome.FirstByteTimestamp is { } first ? Stopwatch.GetElapsedTime(request.StartedAt, first).TotalMilliseconds : null,
        };
    }

    /// <summary>The record of a request no attempt answered, before its final status is set.</summary>
    private UsageRecord Unanswered(in RouteRequest request, in AttemptLoop loop, in OpenAIRequestHead head) =>
        Record(request.RequestId, request.Operation, request.Identity, head.Model, request.StartedAt) with
        {
            Provider = loop.LastDeployment?.Provider.Name,
            UpstreamModel = loop.LastDeployment?.UpstreamModel,
            Stream = head.Stream,
            Attempts = loop.Attempts,
            AttemptLog = loop.AttemptLog,
            ClientRequestId = RequestIds.ClientId(request.Context),
        };

    /// <summary>The facts of one request that its ledger record is built from.</summary>
    private readonly record struct RouteRequest(HttpContext Context, ProxyOperation Operation, ClientIdentity Identity, string RequestId, long StartedAt,
        string? PinnedProvider = null, Http.Multipart.MultipartForm? Form = null);

    /// <summary>
    /// Settles and records a request whose routing threw: the ticket must be settled whatever happens, or its parallel
    /// slot and budget reservation leak forever.
    /// </summary>
    private void SettleCrash(HttpContext context, Limits.Admission admission, UsageRecord record, Exception exception)
    {
        var gone = context.RequestAborted.IsCancellationRequested;
        usageSink.Record(admission.Settle(record with
        {
            Status = gone ? 499 : 500,
            ErrorCode = gone ? "client_closed_request" : "internal_error",
            UsageMissing = true,
            ClientRequestId = RequestIds.ClientId(context),
        }, null));
        if (!gone) LogRouteFailure(logger, record.RequestId, exception);
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
}
