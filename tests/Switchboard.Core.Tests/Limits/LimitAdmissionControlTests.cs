using System.Collections.Frozen;
using System.Collections.Immutable;
using Switchboard.Auth;
using Switchboard.Config;
using Switchboard.Limits;
using Switchboard.Pricing;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Core.Tests.Limits;

/// <summary>The admission controller on its own: real counters, real pricing, a hand-moved clock.</summary>
public sealed class LimitAdmissionControlTests : IDisposable
{
    // $1000 per MTok in and out: one token costs a tenth of a cent, so budgets fill after a few requests.
    private readonly GatewayRuntime _runtime = new(new GatewayConfig
    {
        Providers = [new ProviderConfig { Name = "p", Type = "openai", BaseUrl = new Uri("http://127.0.0.1:9/v1") }],
        Models =
        [
            new ModelConfig { Name = "dear", Deployments = [new DeploymentConfig { Provider = "p", Model = "x", InputPerMTok = 1000m, OutputPerMTok = 1000m }] },
            new ModelConfig { Name = "cheap", Deployments = [new DeploymentConfig { Provider = "p", Model = "y", InputPerMTok = 1m, OutputPerMTok = 1m }] },
            new ModelConfig { Name = "free-local", Deployments = [new DeploymentConfig { Provider = "p", Model = "local-llama" }] },
        ],
        Fallbacks = new Dictionary<string, ImmutableArray<string>> { ["cheap"] = ["dear"] }.ToFrozenDictionary(),
    });

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 31, 23, 0, 0, TimeSpan.Zero));
    private readonly LimitAdmissionControl _control;

    public LimitAdmissionControlTests() =>
        _control = new LimitAdmissionControl(new RuntimeHolder(_runtime), new DeploymentPricing(PriceList.BuiltIn), _clock, new NoRecordedSpend());

    public void Dispose() => _runtime.Dispose();

    private static ClientIdentity Key(string name, LimitSettings? limits, string? team = null, LimitSettings? teamLimits = null) =>
        new() { Name = name, KeyId = name, Limits = limits, Team = team, TeamLimits = teamLimits };

    private ValueTask<Admission> Admit(ClientIdentity who, string model = "dear", long prompt = 10, long? max = 10) =>
        _control.AdmitAsync(new AdmissionRequest(who, _runtime.Models[model], prompt, max), CancellationToken.None);

    private UsageRecord Done(string model, long prompt, long completion) => new()
    {
        RequestId = "r", Timestamp = _clock.GetUtcNow(), Endpoint = "chat.completions", Model = model, Status = 200,
        Usage = new TokenUsage(prompt, completion, prompt + completion, 0, 0),
    };

    [Fact]
    public async Task A_team_limit_binds_every_key_of_the_team_together()
    {
        var team = new LimitSettings(Rpm: 3, null, null, null, BudgetPeriod.Lifetime);
        var a = Key("a", new LimitSettings(Rpm: 2, null, null, null, BudgetPeriod.Lifetime), "t", team);
        var b = Key("b", new LimitSettings(Rpm: 2, null, null, null, BudgetPeriod.Lifetime), "t", team);

        Assert.Null((await Admit(a)).Rejection);
        Assert.Null((await Admit(a)).Rejection);
        var aThird = (await Admit(a)).Rejection;
        Assert.Equal("requests", aThird?.Type); // the key's own limit
        Assert.Contains("key `a`", aThird!.Message);
        Assert.Null((await Admit(b)).Rejection);
        var bSecond = (await Admit(b)).Rejection;
        Assert.Contains("team `t`", bSecond!.Message); // the team's limit, though b has one left of its own

        // The team refusal took nothing from b: after the window b still has its full allowance.
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null((await Admit(b)).Rejection);
        Assert.Null((await Admit(b)).Rejection);
    }

    [Fact]
    public async Task Tokens_per_minute_count_what_was_used_not_what_was_reserved()
    {
        var who = Key("k", new LimitSettings(null, Tpm: 100, null, null, BudgetPeriod.Lifetime));
        var first = await Admit(who, prompt: 10, max: 40); // reserves 50
        Assert.Contains(first.Headers, h => h is { Key: "x-ratelimit-remaining-tokens", Value: "50" });
        first.Settle(Done("dear", 10, 5), _runtime.Models["dear"].Deployments[0]); // used 15

        var second = await Admit(who, prompt: 10, max: 40);
        Assert.Contains(second.Headers, h => h is { Key: "x-ratelimit-remaining-tokens", Value: "35" }); // 100 - 15 - 50
        var third = await Admit(who, prompt: 10, max: 40);
        Assert.Equal("tokens", third.Rejection?.Type);
        Assert.Equal("rate_limit_exceeded", third.Rejection?.Code);
        Assert.NotNull(third.Rejection?.RetryAfter);
    }

    [Fact]
    public async Task A_budget_is_reserved_at_the_dearest_deployment_a_fallback_could_reach()
    {
        // "cheap" falls back to "dear": 20 tokens at $1000/MTok = $0.02 worst case, though "cheap" itself costs $0.00002.
        var who = Key("k", new LimitSettings(null, null, null, BudgetUsd: 0.03m, BudgetPeriod.Lifetime));
        var first = await Admit(who, "cheap");
        Assert.Null(first.Rejection);
        Assert.Equal("insufficient_quota", (await Admit(who, "cheap")).Rejection?.Code);

        var priced = first.Settle(Done("cheap", 10, 10), _runtime.Models["cheap"].Deployments[0]);
        Assert.Equal(20m / 1_000_000m, priced.CostUsd);
        Assert.Null((await Admit(who, "cheap")).Rejection); // the reservation was replaced by the real cost
    }

    [Fact]
    public async Task A_daily_budget_starts_again_at_midnight_UTC_and_a_monthly_one_on_the_first()
    {
        var daily = Key("d", new LimitSettings(null, null, null, BudgetUsd: 0.025m, BudgetPeriod.Daily));
        var ticket = await Admit(daily);
        ticket.Settle(Done("dear", 10, 10), _runtime.Models["dear"].Deployments[0]); // $0.02 spent
        var refused = (await Admit(daily)).Rejection;
        Assert.Equal("insufficient_quota", refused?.Type);
        Assert.Contains("resets at 2026-04-01T00:00:00Z", refused!.Message);

        _clock.Advance(TimeSpan.FromHours(1)); // 2026-04-01 00:00 UTC
        Assert.Null((await Admit(daily)).Rejection);
    }

    [Fact]
    public async Task Parallel_slots_come_back_when_requests_settle()
    {
        var who = Key("k", new LimitSettings(null, null, MaxParallel: 2, null, BudgetPeriod.Lifetime));
        var one = await Admit(who);
        var two = await Admit(who);
        var three = await Admit(who);
        Assert.Equal(429, three.Rejection?.Status);
        Assert.Contains("parallel", three.Rejection!.Message);

        one.Settle(Done("dear", 1, 1) with { Status = 499 }, null);
        one.Settle(Done("dear", 1, 1) with { Status = 499 }, null); // settling twice frees one slot, not two
        Assert.Null((await Admit(who)).Rejection);
        Assert.NotNull((await Admit(who)).Rejection);
        GC.KeepAlive(two);
    }

    [Fact]
    public async Task A_budgeted_key_is_refused_a_model_that_could_reach_an_unpriced_deployment()
    {
        var budgeted = Key("k", new LimitSettings(null, null, null, BudgetUsd: 5m, BudgetPeriod.Lifetime));
        var refused = (await Admit(budgeted, "free-local")).Rejection;
        Assert.Equal(403, refused?.Status);
        Assert.Equal("model_not_priced", refused?.Code);
        Assert.Contains("p/local-llama", refused!.Message);

        // Without a budget the request runs and its ledger row says "unpriced" (null), not $0.
        var unlimited = await Admit(Key("u", null), "free-local");
        Assert.Null(unlimited.Rejection);
        Assert.Null(unlimited.Settle(Done("free-local", 10, 10), _runtime.Models["free-local"].Deployments[0]).CostUsd);
    }

    [Fact]
    public async Task Concurrent_admissions_never_reserve_past_the_budget()
    {
        // Worst case per request: 20 tokens × $1000/MTok = $0.02; actual: 12 tokens = $0.012. Budget $0.5.
        var who = Key("k", new LimitSettings(null, null, null, BudgetUsd: 0.5m, BudgetPeriod.Lifetime));
        var spent = 0m;
        var gate = new Lock();
        for (var round = 0; round < 10; round++)
        {
            await Parallel.ForAsync(0, 100, async (_, _) =>
            {
                var ticket = await Admit(who);
                if (ticket.Rejection is not null) return;
                var priced = ticket.Settle(Done("dear", 10, 2), _runtime.Models["dear"].Deployments[0]);
                lock (gate) spent += priced.CostUsd!.Value;
            });
        }
        Assert.True(spent <= 0.5m, $"spent {spent}");
        Assert.True(spent > 0.5m - 0.02m, $"spent only {spent}: the budget should be usable to within one worst case");
    }
}
