using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Switchboard.Auth;
using Switchboard.Pricing;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Limits;

/// <summary>
/// Rate limits (rpm, tpm, parallel) and budgets per key and per team, with pricing of every request. Admission checks
/// and reserves against the key's counters and then the team's (all or nothing); settling replaces the reservation
/// with the tokens and cost the upstream reported. In-process counters; spend so far comes from
/// <see cref="ISpendSource"/> when a key or team is first seen. See docs/limits.md.
/// </summary>
public sealed class LimitAdmissionControl(RuntimeHolder runtimes, DeploymentPricing pricing, TimeProvider time, ISpendSource spend,
    ISharedLimitCounters? shared = null) : IAdmissionControl
{
    /// <summary>Output tokens reserved (for tpm and budgets) in strict mode when the client sent no max_tokens.</summary>
    public const long DefaultOutputReservation = 4096;

    private readonly ConcurrentDictionary<string, LimitCounters> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LimitCounters> _teams = new(StringComparer.Ordinal);

    /// <summary>The limits of a key without limits of its own under the current <c>key_defaults</c> (built once per config).</summary>
    private DefaultLimits? _defaultsOnly;

    private sealed record DefaultLimits(Config.KeyDefaults Source, LimitSettings Limits);

    /// <summary>The key's limits with <c>key_defaults</c> filled in where the key sets none.</summary>
    private LimitSettings? WithDefaults(LimitSettings? limits, Config.KeyDefaults defaults)
    {
        if (defaults.MaxParallel is not { } parallel) return limits;
        if (limits is not null) return limits.MaxParallel is null ? limits with { MaxParallel = parallel } : limits;
        if (_defaultsOnly is { } cached && ReferenceEquals(cached.Source, defaults)) return cached.Limits;
        var built = new LimitSettings(null, null, parallel, null, BudgetPeriod.Lifetime);
        _defaultsOnly = new DefaultLimits(defaults, built);
        return built;
    }

    public async ValueTask<Admission> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var identity = request.Identity;
        var keyLimits = WithDefaults(identity.Limits, runtimes.Current.Config.KeyDefaults);
        var teamLimits = identity.Team is null ? null : identity.TeamLimits;
        if (keyLimits is null && teamLimits is null) return new PricedTicket(this, request.Prompt);

        var budgeted = keyLimits?.BudgetUsd is not null || teamLimits?.BudgetUsd is not null;
        // The prompt is tokenized only when a limit needs it (tpm or a budget); rpm and parallel limits do not.
        var needsTokens = budgeted || keyLimits?.Tpm is not null || teamLimits?.Tpm is not null;
        var estimate = AdmissionEstimate.Of(runtimes.Current.Config.Limits, needsTokens ? request.Prompt.Count() : 0, request.MaxOutputTokens);
        var tokens = estimate.Tokens;
        decimal cost = 0;
        if (budgeted)
        {
            var modelPricing = pricing.For(request.Model, runtimes.Current);
            var unpricedDeployment = request.Metering == MeteringKind.Tokens
                ? modelPricing.UnpricedDeployment
                : AudioPricing.Unpriced(request.Model, request.Metering, pricing);
            if (unpricedDeployment is { } unpriced)
            {
                return keyLimits?.BudgetUsd is not null
                    ? Refused.With(LimitErrors.Unpriced(request.Model.Name, unpriced, LimitScope.Key, identity.Name))
                    : Refused.With(LimitErrors.Unpriced(request.Model.Name, unpriced, LimitScope.Team, identity.Team!));
            }
            cost = modelPricing.WorstCase.WorstCase(estimate.PromptTokens, estimate.OutputTokens);
            estimate = estimate with { Cost = cost };
        }
        PromptTokens prompt = needsTokens ? estimate.PromptTokens : request.Prompt;

        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var key = keyLimits is null ? null : new SubjectLimits(LimitScope.Key, identity.KeyId ?? identity.Name, keyLimits, BudgetWindow.At(keyLimits.BudgetPeriod, now));
        var team = teamLimits is null ? null : new SubjectLimits(LimitScope.Team, identity.Team!, teamLimits, BudgetWindow.At(teamLimits.BudgetPeriod, now));

        if (shared is not null)
        {
            try
            {
                var result = await shared.AdmitAsync(new SharedAdmitRequest(key, team, nowMs, tokens, cost), cancellationToken);
                return Decide(identity, prompt, key, result.Key, result.KeyReservation, null,
                    team, result.Team, result.TeamReservation, null, estimate, now, isShared: true);
            }
            catch (Exception ex) when (shared.IsUnavailable(ex))
            {
                // Degraded: the database is unreachable, so this process enforces every limit on its own (docs/limits.md).
            }
        }

        LimitCounters? keyCounters = null, teamCounters = null;
        Reservation keyReservation = default, teamReservation = default;
        CounterSnapshot keyState = default, teamState = default;
        if (key is not null)
        {
            keyCounters = _keys.GetOrAdd(key.Id, static _ => new LimitCounters());
            if (key.Limits.BudgetUsd is not null) await LoadSpendAsync(keyCounters, key, cancellationToken);
            keyState = keyCounters.TryReserve(key.Limits, nowMs, key.Period.Id, tokens, cost, out keyReservation);
        }
        if (team is not null && keyState.Refusal == LimitRefusal.None)
        {
            teamCounters = _teams.GetOrAdd(team.Id, static _ => new LimitCounters());
            if (team.Limits.BudgetUsd is not null) await LoadSpendAsync(teamCounters, team, cancellationToken);
            teamState = teamCounters.TryReserve(team.Limits, nowMs, team.Period.Id, tokens, cost, out teamReservation);
            if (teamState.Refusal != LimitRefusal.None && key is not null) keyCounters!.Undo(keyReservation);
        }
        return Decide(identity, prompt, key, keyState, keyReservation, keyCounters,
            team, teamState, teamReservation, teamCounters, estimate, now, isShared: false);
    }

    private Admission Decide(ClientIdentity identity, PromptTokens prompt,
        SubjectLimits? key, in CounterSnapshot keyState, in Reservation keyReservation, LimitCounters? keyCounters,
        SubjectLimits? team, in CounterSnapshot teamState, in Reservation teamReservation, LimitCounters? teamCounters,
        in AdmissionEstimate estimate, DateTimeOffset now, bool isShared)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        if (key is not null && keyState.Refusal != LimitRefusal.None)
        {
            var error = LimitErrors.For(keyState.Refusal, LimitScope.Key, identity.Name, key.Limits, keyState, estimate, now, key.Period);
            return Refused.With(error, RateLimitHeaders.Build(key.Limits, keyState, null, default, nowMs));
        }
        if (team is not null && teamState.Refusal != LimitRefusal.None)
        {
            var error = LimitErrors.For(teamState.Refusal, LimitScope.Team, team.Id, team.Limits, teamState, estimate, now, team.Period);
            return Refused.With(error, RateLimitHeaders.Build(null, default, team.Limits, teamState, nowMs));
        }
        return new LimitTicket(this, prompt,
            new LimitTicketState(key, keyCounters, keyReservation, team, teamCounters, teamReservation, isShared),
            RateLimitHeaders.Build(key?.Limits, keyState, team?.Limits, teamState, nowMs));
    }

    private async ValueTask LoadSpendAsync(LimitCounters counters, SubjectLimits subject, CancellationToken cancellationToken)
    {
        if (counters.SpendLoaded(subject.Period.Id)) return;
        // Once per subject and period per process; concurrent first requests may each read, the first write wins.
        var spent = await spend.SpentSinceAsync(subject.Scope, subject.Id, subject.Period.Start, cancellationToken);
        counters.InitialiseSpend(subject.Period.Id, spent);
    }

    /// <summary>
    /// Prices the final record: the serving deployment's price applied to the reported usage. When the client received
    /// an answer (or part of a stream) but the upstream reported no usage, the usage is estimated — the prompt from
    /// request's tokens as the tokenizer counts them, the output from what reached the client — and the record says so
    /// (CostEstimated).
    /// </summary>
    internal UsageRecord Price(UsageRecord final, RoutedDeployment? servedBy, in PromptTokens prompt, OutputCounter? output)
    {
        var usage = final.Usage;
        if (usage.Images is { } images)
        {
            // Images are counted, never estimated: priced per image, or by the tokens the upstream reported.
            return final with
            {
                CostUsd = servedBy is null ? null : ImagePricing.Cost(servedBy.Config, images, usage, pricing.For(servedBy), !final.UsageMissing),
                CostEstimated = false,
            };
        }
        var estimated = false;
        if (final.UsageMissing && (final.Status == 200 || final.TimeToFirstTokenMs is not null))
        {
            var completion = output is null ? 0 : Math.Max(usage.CompletionTokens, output.Flushes);
            var promptTokens = Math.Max(usage.PromptTokens, prompt.Count());
            usage = new TokenUsage(promptTokens, completion, promptTokens + completion, usage.CachedPromptTokens, usage.ReasoningTokens);
            estimated = true;
        }
        var price = servedBy is null ? null : pricing.For(servedBy);
        return final with
        {
            Usage = usage,
            CostUsd = final.Units.Kind == MeteringKind.Tokens || servedBy is null
                ? price?.Cost(usage)
                : AudioPricing.Cost(final.Units, usage, servedBy.Config, price),
            CostEstimated = estimated,
        };
    }

    internal void Settle(in LimitTicketState state, UsageRecord priced)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var tokens = priced.Usage.TotalTokens > 0 ? priced.Usage.TotalTokens : priced.Usage.PromptTokens + priced.Usage.CompletionTokens;
        var cost = priced.CostUsd ?? 0m;
        if (state.Key is { } key) Settle(key, state.KeyCounters, state.KeyReservation, state.IsShared, now, nowMs, tokens, cost);
        if (state.Team is { } team) Settle(team, state.TeamCounters, state.TeamReservation, state.IsShared, now, nowMs, tokens, cost);
    }

    private void Settle(SubjectLimits subject, LimitCounters? counters, in Reservation reservation, bool isShared, DateTimeOffset now, long nowMs, long tokens, decimal cost)
    {
        var periodId = BudgetWindow.At(subject.Limits.BudgetPeriod, now).Id;
        if (isShared) shared!.Settle(new SharedSettlement(subject, reservation, nowMs, periodId, tokens, cost));
        else counters!.Settle(reservation, nowMs, periodId, tokens, cost);
    }

    /// <summary>A refusal; nothing was reserved.</summary>
    private sealed class Refused : Admission
    {
        private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;

        private Refused(Errors.GatewayError error, IReadOnlyList<KeyValuePair<string, string>> headers)
        {
            Rejection = error;
            _headers = headers;
        }

        public static Refused With(Errors.GatewayError error, IReadOnlyList<KeyValuePair<string, string>>? headers = null) => new(error, headers ?? []);

        public override IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

        public override UsageRecord Settle(UsageRecord final, RoutedDeployment? servedBy) => final;
    }

    /// <summary>A caller without limits: nothing to reserve, but the request is still priced.</summary>
    private sealed class PricedTicket(LimitAdmissionControl owner, PromptTokens prompt) : Admission
    {
        private OutputCounter? _output;

        public override void Observe(HttpContext context) => _output = OutputCounter.Install(context);

        public override UsageRecord Settle(UsageRecord final, RoutedDeployment? servedBy) => owner.Price(final, servedBy, prompt, _output);
    }
}

/// <summary>What a limited request reserved, per subject.</summary>
internal readonly record struct LimitTicketState(
    SubjectLimits? Key, LimitCounters? KeyCounters, Reservation KeyReservation,
    SubjectLimits? Team, LimitCounters? TeamCounters, Reservation TeamReservation, bool IsShared);

/// <summary>An admitted request with limits: settles exactly once, whatever way the request ended.</summary>
internal sealed class LimitTicket : Admission
{
    private readonly LimitAdmissionControl _owner;
    private readonly PromptTokens _prompt;
    private readonly LimitTicketState _state;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private OutputCounter? _output;
    private int _settled;

    public LimitTicket(LimitAdmissionControl owner, PromptTokens prompt, in LimitTicketState state, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _owner = owner;
        _prompt = prompt;
        _state = state;
        _headers = headers;
    }

    public override IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    public override void Observe(HttpContext context)
    {
        _output = OutputCounter.Install(context);
    }

    public override UsageRecord Settle(UsageRecord final, RoutedDeployment? servedBy)
    {
        var priced = _owner.Price(final, servedBy, _prompt, _output);
        if (Interlocked.Exchange(ref _settled, 1) == 0) _owner.Settle(_state, priced);
        return priced;
    }
}
