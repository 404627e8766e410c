using System.Collections.Frozen;
using System.Collections.Immutable;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Core.Tests.Routing;

public sealed class AttemptPlannerTests : IDisposable
{
    private readonly GatewayRuntime _runtime = new(new GatewayConfig
    {
        Providers = [Provider("a"), Provider("b"), Provider("c"), Provider("d")],
        Models =
        [
            new ModelConfig { Name = "split", Deployments = [Deployment("a", 3), Deployment("b", 1)] },
            new ModelConfig { Name = "solo", Deployments = [Deployment("c", 1)] },
            new ModelConfig { Name = "three", Deployments = [Deployment("a", 1), Deployment("b", 2), Deployment("c", 5)] },
            new ModelConfig
            {
                Name = "ordered", Strategy = RoutingStrategy.Priority,
                Deployments = [Deployment("a", 1) with { Priority = 2 }, Deployment("b", 1) with { Priority = 1 }, Deployment("c", 1)],
            },
            new ModelConfig
            {
                Name = "cheap", Strategy = RoutingStrategy.LowestCost,
                Deployments =
                [
                    Deployment("a", 1) with { InputPerMTok = 2.5m, OutputPerMTok = 10m },
                    Deployment("b", 1),
                    Deployment("c", 1) with { InputPerMTok = 0.15m, OutputPerMTok = 0.6m },
                ],
            },
            new ModelConfig { Name = "idle", Strategy = RoutingStrategy.LeastInflight, Deployments = [Deployment("a", 1), Deployment("b", 1), Deployment("c", 1)] },
            new ModelConfig { Name = "fast", Strategy = RoutingStrategy.LowestLatency, Deployments = [Deployment("a", 1), Deployment("b", 1), Deployment("d", 1)] },
        ],
        Fallbacks = new Dictionary<string, ImmutableArray<string>> { ["split"] = ["solo"] }.ToFrozenDictionary(),
    });

    public void Dispose() => _runtime.Dispose();

    private List<string> Plan(string model, Random? random = null) =>
        [.. AttemptPlanner.Plan(_runtime.Models[model], _runtime, random ?? new Random(1)).Select(d => d.Provider.Name)];

    [Fact]
    public void Every_deployment_then_the_fallbacks_are_planned_once()
    {
        var plan = Plan("split");
        Assert.Equal(3, plan.Count);
        Assert.Equal(["a", "b"], plan.Take(2).Order());
        Assert.Equal("c", plan[2]);
    }

    [Fact]
    public void First_choice_follows_the_weights_within_a_chi_square_bound()
    {
        // Weights 1:2:5 over n draws with a fixed seed; chi-square with 2 degrees of freedom: 13.8 is the 0.999 quantile.
        const int n = 40_000;
        var random = new Random(12345);
        var counts = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0, ["c"] = 0 };
        for (var i = 0; i < n; i++) counts[AttemptPlanner.Plan(_runtime.Models["three"], _runtime, random)[0].Provider.Name]++;
        var expected = new Dictionary<string, double> { ["a"] = n / 8.0, ["b"] = n * 2 / 8.0, ["c"] = n * 5 / 8.0 };
        var chiSquare = counts.Sum(kv => Math.Pow(kv.Value - expected[kv.Key], 2) / expected[kv.Key]);
        Assert.True(chiSquare < 13.8, $"chi-square {chiSquare:0.00} for counts a={counts["a"]} b={counts["b"]} c={counts["c"]}");
    }

    [Fact]
    public void Priority_orders_by_priority_then_list_position()
    {
        for (var seed = 0; seed < 20; seed++) Assert.Equal(["b", "a", "c"], Plan("ordered", new Random(seed)));
    }

    [Fact]
    public void Lowest_cost_puts_the_cheapest_first_and_unpriced_last()
    {
        Assert.Equal(["c", "a", "b"], Plan("cheap"));
    }

    [Fact]
    public void Least_inflight_prefers_the_idlest_and_spreads_ties()
    {
        var model = _runtime.Models["idle"];
        model.Deployments[0].Health.Enter();
        model.Deployments[0].Health.Enter();
        model.Deployments[2].Health.Enter();
        Assert.Equal(["b", "c", "a"], Plan("idle"));

        model.Deployments[1].Health.Enter(); // now a=2, b=1, c=1: b and c tie
        var firsts = Enumerable.Range(0, 200).Select(seed => Plan("idle", new Random(seed))[0]).ToList();
        Assert.DoesNotContain("a", firsts);
        Assert.InRange(firsts.Count(f => f == "b"), 60, 140);
    }

    [Fact]
    public void Lowest_latency_explores_untried_deployments_then_prefers_the_fastest()
    {
        var model = _runtime.Models["fast"];
        model.Deployments[0].Health.ReportSuccess(TimeSpan.FromMilliseconds(300));
        model.Deployments[1].Health.ReportSuccess(TimeSpan.FromMilliseconds(40));
        // "d" was never tried: it goes first (explored), then by average latency.
        var random = new Random(7);
        var plans = Enumerable.Range(0, 1000).Select(_ => AttemptPlanner.Plan(model, _runtime, random).Select(d => d.Provider.Name).ToList()).ToList();
        Assert.True(plans.Count(p => p.SequenceEqual(["d", "b", "a"])) > 900);

        model.Deployments[2].Health.ReportSuccess(TimeSpan.FromMilliseconds(100));
        plans = [.. Enumerable.Range(0, 1000).Select(_ => AttemptPlanner.Plan(model, _runtime, random).Select(d => d.Provider.Name).ToList())];
        Assert.True(plans.Count(p => p.SequenceEqual(["b", "d", "a"])) > 900);
        Assert.Contains(plans, p => p[0] != "b"); // some exploration keeps the other averages fresh
    }

    [Fact]
    public void A_single_deployment_plan_is_one_list_with_one_entry()
    {
        var plan = AttemptPlanner.Plan(_runtime.Models["solo"], _runtime);
        Assert.Single(plan);
        Assert.Equal(1, plan.Capacity);
    }

    private static ProviderConfig Provider(string name) =>
        new() { Name = name, Type = "openai", BaseUrl = new Uri($"http://127.0.0.1:1/{name}/v1") };

    private static DeploymentConfig Deployment(string provider, int weight) =>
        new() { Provider = provider, Model = provider + "-model", Weight = weight };
}
