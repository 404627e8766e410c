using Switchboard.Auth;
using Switchboard.Config;
using Switchboard.Limits;
using Switchboard.Pricing;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Core.Tests.Limits;

/// <summary>
/// Budget and tpm admission reserve a request's expected cost by default (prompt tokens + min(max_tokens, expected
/// output)), the worst case in strict mode, and every refusal says why, with the numbers.
/// </summary>
public sealed class BudgetAdmissionTests : IDisposable
{
    private readonly GatewayRuntime _expected = Runtime(new LimitPolicy());
    private readonly GatewayRuntime _strict = Runtime(new LimitPolicy { BudgetMode = BudgetMode.Strict });
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    private static GatewayRuntime Runtime(LimitPolicy policy) => new(new GatewayConfig
    {
        Providers = [new ProviderConfig { Name = "p", Type = "anthropic", BaseUrl = new Uri("http://127.0.0.1:9") }],
        Models =
        [
            // Claude Sonnet's prices: $3 in, $15 out per million tokens.
            new ModelConfig { Name = "sonnet", Deployments = [new DeploymentConfig { Provider = "p", Model = "claude-sonnet-4-6", InputPerMTok = 3m, OutputPerMTok = 15m }] },
            new ModelConfig { Name = "dear", Deployments = [new DeploymentConfig { Provider = "p", Model = "x", InputPerMTok = 1000m, OutputPerMTok = 1000m }] },
        ],
        Limits = policy,
    });

    public void Dispose()
    {
        _expected.Dispose();
        _strict.Dispose();
    }

    private LimitAdmissionControl Control(GatewayRuntime runtime) =>
        new(new RuntimeHolder(runtime), new DeploymentPricing(PriceList.BuiltIn), _clock, new NoRecordedSpend());

    private static ClientIdentity Key(string name, LimitSettings limits) => new() { Name = name, KeyId = name, Limits = limits };

    private static ClientIdentity Budget(decimal usd) => Key("small", new LimitSettings(null, null, null, BudgetUsd: usd, BudgetPeriod.Lifetime));

    private static UsageRecord Done(long prompt, long completion) => new()
    {
        RequestId = "r", Timestamp = DateTimeOffset.UnixEpoch, Endpoint = "messages", Model = "m", Status = 200,
        Usage = new TokenUsage(prompt, completion, prompt + completion, 0, 0),
    };

    [Fact]
    public async Task A_Claude_Code_request_with_max_tokens_32000_fits_a_5_cent_budget()
    {
        var control = Control(_expected);
        // 30 prompt tokens and max_tokens 32000 (what Claude Code sends): its worst case is $0.48009, its expected cost
        // 30 × $3/MTok + 1024 × $15/MTok = $0.01545.
        var admission = await control.AdmitAsync(new AdmissionRequest(Budget(0.05m), _expected.Models["sonnet"], 30, 32000), CancellationToken.None);
        Assert.Null(admission.Rejection);
    }

    [Fact]
    public async Task Strict_mode_reserves_the_worst_case_and_says_so()
    {
        var control = Control(_strict);
        var refused = (await control.AdmitAsync(new AdmissionRequest(Budget(0.05m), _strict.Models["sonnet"], 30, 32000), CancellationToken.None)).Rejection;
        Assert.Equal("insufficient_quota", refused?.Code);
        Assert.Equal(
            "The budget of key `small` cannot cover this request: spent $0 of $0.05; this request's worst-case cost $0.48009 " +
            "(30 prompt tokens + 32000 max_tokens output tokens) exceeds the remaining $0.05.",
            refused!.Message);

        var noMax = (await control.AdmitAsync(new AdmissionRequest(Budget(0.05m), _strict.Models["sonnet"], 30, null), CancellationToken.None)).Rejection;
        Assert.Contains("30 prompt tokens + 4096 default (4096, no max_tokens sent) output tokens", noMax!.Message);
    }

    [Fact]
    public async Task A_request_whose_expected_cost_exceeds_the_remainder_is_refused_with_the_numbers()
    {
        var control = Control(_expected);
        var who = Budget(0.5m);
        var first = await control.AdmitAsync(new AdmissionRequest(who, _expected.Models["dear"], 100, 200), CancellationToken.None); // $0.3
        Assert.Null(first.Rejection);

        // $0.3 reserved by the request in flight: the next one's expected $0.3 does not fit in the $0.2 left.
        var refused = (await control.AdmitAsync(new AdmissionRequest(who, _expected.Models["dear"], 100, 200), CancellationToken.None)).Rejection;
        Assert.Equal(429, refused?.Status);
        Assert.Equal(
            "The budget of key `small` cannot cover this request: spent $0 of $0.5, $0.3 reserved by requests in flight; " +
            "this request's expected cost $0.3 (100 prompt tokens + 200 expected output tokens) exceeds the remaining $0.2. " +
            "Retry when requests in flight have finished.",
            refused!.Message);

        // Without max_tokens the expected output is 1,024 tokens, not 4,096: $1.124 > $0.5 left once the first is settled.
        first.Settle(Done(100, 0), _expected.Models["dear"].Deployments[0]); // $0.1 spent
        var big = (await control.AdmitAsync(new AdmissionRequest(who, _expected.Models["dear"], 100, null), CancellationToken.None)).Rejection;
        Assert.Contains("spent $0.1 of $0.5; this request's expected cost $1.124 (100 prompt tokens + 1024 expected output tokens) exceeds the remaining $0.4.", big!.Message);
    }

    [Fact]
    public async Task A_spent_budget_is_refused_as_exhausted()
    {
        var control = Control(_expected);
        var who = Budget(0.05m);
        var ticket = await control.AdmitAsync(new AdmissionRequest(who, _expected.Models["dear"], 10, 10), CancellationToken.None);
        ticket.Settle(Done(10, 50), _expected.Models["dear"].Deployments[0]); // $0.06: more than expected, and than the budget
        var refused = (await control.AdmitAsync(new AdmissionRequest(who, _expected.Models["dear"], 10, 10), CancellationToken.None)).Rejection;
        Assert.Equal("The budget of key `small` is exhausted: spent $0.06 of $0.05.", refused?.Message);
    }

    [Fact]
    public async Task Tokens_per_minute_reserve_the_expected_output_not_max_tokens()
    {
        var control = Control(_expected);
        var who = Key("k", new LimitSettings(null, Tpm: 10_000, null, null, BudgetPeriod.Lifetime));
        var first = await control.AdmitAsync(new AdmissionRequest(who, _expected.Models["sonnet"], 30, 32000), CancellationToken.None);
        Assert.Contains(first.Headers, h => h is { Key: "x-ratelimit-remaining-tokens", Value: "8946" }); // 10000 - 30 - 1024
        Assert.Null((await control.AdmitAsync(new AdmissionRequest(who, _expected.Models["sonnet"], 30, 32000), CancellationToken.None)).Rejection);

        // Strict: max_tokens is reserved (a request larger than the window runs alone in an empty one), and the refusal says so.
        var strict = Control(_strict);
        Assert.Null((await strict.AdmitAsync(new AdmissionRequest(who, _strict.Models["sonnet"], 30, 32000), CancellationToken.None)).Rejection);
        var refused = (await strict.AdmitAsync(new AdmissionRequest(who, _strict.Models["sonnet"], 30, 32000), CancellationToken.None)).Rejection;
        Assert.Contains("Limit 10000, Used 10000, Requested 10000 (30 prompt tokens + 32000 max_tokens output tokens)", refused!.Message);
    }

    [Fact]
    public async Task Overspend_is_bounded_by_the_requests_in_flight_when_the_budget_ran_out()
    {
        // Expected: 10 + min(100, 1024) = 110 tokens = $0.11 reserved; each really costs 10 + 300 tokens = $0.31 (an
        // upstream that ignores max_tokens). At most $1 / $0.11 = 9 requests are in flight at once, so the budget can
        // be overspent by at most 9 × ($0.31 - $0.11) — and once it is spent, nothing more is admitted.
        var control = Control(_expected);
        var who = Budget(1m);
        var spent = 0m;
        var admitted = 0;
        for (var round = 0; round < 5; round++)
        {
            var tickets = new System.Collections.Concurrent.ConcurrentBag<Admission>();
            await Parallel.ForAsync(0, 50, async (_, ct) =>
                tickets.Add(await control.AdmitAsync(new AdmissionRequest(who, _expected.Models["dear"], 10, 100), ct)));
            foreach (var ticket in tickets.Where(t => t.Rejection is null))
            {
                admitted++;
                spent += ticket.Settle(Done(10, 300), _expected.Models["dear"].Deployments[0]).CostUsd!.Value;
            }
        }
        Assert.True(admitted >= 4, $"admitted only {admitted}");
        Assert.True(spent <= 1m + 9 * 0.2m, $"spent {spent}");
        var after = (await control.AdmitAsync(new AdmissionRequest(who, _expected.Models["dear"], 10, 100), CancellationToken.None)).Rejection;
        Assert.Contains("is exhausted", after!.Message);
    }

    [Fact]
    public async Task Usage_an_upstream_omits_is_filled_from_the_tokenizer()
    {
        var control = Control(_expected);
        var body = Encoding.UTF8.GetBytes("""{"model":"gpt-4o","messages":[{"role":"user","content":"hello world"}]}""");
        var ticket = await control.AdmitAsync(new AdmissionRequest(new ClientIdentity { Name = "u" }, _expected.Models["dear"], new PromptTokens(body, "gpt-4o"), null), CancellationToken.None);
        var priced = ticket.Settle(Done(0, 0) with { UsageMissing = true }, _expected.Models["dear"].Deployments[0]);
        Assert.Equal(9, priced.Usage.PromptTokens); // 3 + "user" + "hello world" (2) + 3, as OpenAI counts it
        Assert.True(priced.CostEstimated);
    }
}
