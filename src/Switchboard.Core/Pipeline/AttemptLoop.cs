using System.Diagnostics;
using System.Globalization;
using Switchboard.Config;
using Switchboard.Errors;
using Switchboard.Routing;
using Switchboard.Telemetry;

namespace Switchboard.Pipeline;

/// <summary>
/// One request's way through its plan (docs/api.md, "Routing and failover"): the planned deployments in order, then
/// another round after a backoff, until <see cref="RoutingSettings.MaxAttempts"/>; what a failure does next
/// (<see cref="OnFailure"/>); and what was tried, for the ledger row. A mutable struct kept in
/// <see cref="GatewayProxy"/>'s async state machine: no allocation of its own.
/// </summary>
internal struct AttemptLoop(List<RoutedDeployment> plan, RoutingSettings routing)
{
    private List<RoutedDeployment> _plan = Cut(plan);
    private RoutePlanState _round = new(Math.Min(plan.Count, RoutePlanState.MaxCandidates));
    private int _index;
    private bool _forced;
    private bool _switchedChain;
    private int _retries;
    private RoutedDeployment? _first;

    /// <summary>Upstream attempts made so far.</summary>
    public int Attempts { get; private set; }
    /// <summary>The ledger's attempt log, <c>provider:status</c> per attempt.</summary>
    public string? AttemptLog { get; private set; }
    /// <summary>The deployment of the latest attempt (what a failed request is recorded against).</summary>
    public RoutedDeployment? LastDeployment { get; private set; }
    /// <summary>Why the request has not been served yet; what the client gets when nothing else is tried.</summary>
    public GatewayError? LastError { get; set; }

    /// <summary>True while another attempt is allowed.</summary>
    public readonly bool MayAttempt => Attempts < routing.MaxAttempts;

    /// <summary>
    /// The next deployment to try: the first in plan order not yet tried in this round and not cooling down; when all
    /// left are cooling down, the least-bad one (once per request); when none is left, another round. False when the
    /// plan is exhausted.
    /// </summary>
    public bool NextDeployment(TimeProvider time, out RoutedDeployment deployment)
    {
        while (true)
        {
            _index = _round.NextAdmitted(_plan, time.GetUtcNow());
            _forced = false;
            if (_index < 0)
            {
                _index = _round.LeastBad(_plan);
                if (_index < 0)
                {
                    if (_round.StartNextRound()) continue;
                    deployment = null!;
                    return false;
                }
                _forced = true;
            }
            deployment = _plan[_index];
            return true;
        }
    }

    /// <summary>The deployment cannot serve this request at all (e.g. its provider type lacks the operation).</summary>
    public void Skip(RoutedDeployment deployment)
    {
        _round.Exclude(_index);
        deployment.Health.ReleaseProbe();
    }

    /// <summary>
    /// How long to wait before this attempt: null for a deployment new to this request; else an exponential backoff
    /// with jitter, and at least as long as the deployment's own Retry-After.
    /// </summary>
    public TimeSpan? BackoffBeforeAttempt(RoutedDeployment deployment)
    {
        if (!_round.WasTried(_index)) return null;
        var wait = Backoff(routing, ++_retries);
        if (LastDeployment == deployment && LastError?.RetryAfter is { } retryAfter && retryAfter > wait) wait = retryAfter;
        return wait;
    }

    /// <summary>Counts the attempt about to start on <paramref name="deployment"/>.</summary>
    public void BeginAttempt(RoutedDeployment deployment)
    {
        Attempts++;
        _first ??= deployment;
        _round.MarkTried(_index);
        if (_forced) _round.Exclude(_index); // a cooling deployment gets one forced try per request, not one per round
        LastDeployment = deployment;
    }

    /// <summary>Adds the finished attempt to the attempt log and the upstream metrics.</summary>
    public void LogAttempt(RoutedDeployment deployment, int status)
    {
        AttemptLog = Attempts == 1 && status == 200 ? deployment.FirstTrySuccessLog
            : AttemptLogEntry(AttemptLog, deployment.Provider.Name, status);
        UpstreamMetrics.Attempted(deployment.Provider.Name, deployment.UpstreamModel, status, Attempts,
            answeredByFallback: status == 200 && !ReferenceEquals(deployment, _first));
    }

    /// <summary>
    /// After a failed attempt, before anything reached the client: true to go on (the next deployment, a fallback, a
    /// retry, or the chain configured for the refusal), false to stop with <paramref name="error"/>.
    /// </summary>
    public bool OnFailure(GatewayError error, RoutedModel model, IModelCatalog models)
    {
        LastError = error;
        switch (error.Disposition)
        {
            case ErrorDisposition.Retryable:
                // A long Retry-After is not slept through: the deployment sits this request out (and cools down).
                if (error.RetryAfter > routing.MaxRetryWait || error.Status < 500 && error.Status is not (429 or 408)) _round.Exclude(_index);
                return true;
            case ErrorDisposition.ContextWindowExceeded or ErrorDisposition.ContentPolicy:
                // Another deployment of the same model would refuse the same way: only the chain for this case may help.
                if (_switchedChain)
                {
                    _round.Exclude(_index);
                    return true;
                }
                var chain = error.Disposition == ErrorDisposition.ContextWindowExceeded ? model.ContextWindowFallbacks : model.ContentPolicyFallbacks;
                if (chain.IsEmpty) return false;
                _plan = Cut(AttemptPlanner.PlanChain(chain, models));
                _round = new RoutePlanState(_plan.Count);
                _switchedChain = true;
                return true;
            default:
                // The client's own mistakes would fail everywhere.
                return false;
        }
    }

    /// <summary>Feeds an attempt's result to the deployment's passive health (cooldown, latency average).</summary>
    public readonly void ReportHealth(RoutedDeployment deployment, in AttemptOutcome outcome, long attemptStarted, TimeProvider time)
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

    private static List<RoutedDeployment> Cut(List<RoutedDeployment> plan)
    {
        if (plan.Count > RoutePlanState.MaxCandidates) plan.RemoveRange(RoutePlanState.MaxCandidates, plan.Count - RoutePlanState.MaxCandidates);
        return plan;
    }

    /// <summary>Exponential backoff with jitter: base·2^(n-1), capped, times a random factor in [0.5, 1).</summary>
    private static TimeSpan Backoff(RoutingSettings routing, int retry)
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
}
