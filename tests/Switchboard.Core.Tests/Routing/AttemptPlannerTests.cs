using System.Collections.Frozen;
using System.Collections.Immutable;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Core.Tests.Routing;

public sealed class AttemptPlannerTests : IDisposable
{
    private readonly GatewayRuntime _runtime = new(new GatewayConfig
    {
        Providers = [Provider("a"), Provider("b"), Provider("c")],
        Models =
        [
            new ModelConfig { Name = "split", Deployments = [Deployment("a", 3), Deployment("b", 1)] },
            new ModelConfig { Name = "solo", Deployments = [Deployment("c", 1)] },
        ],
        Fallbacks = new Dictionary<string, ImmutableArray<string>> { ["split"] = ["solo"] }.ToFrozenDictionary(),
    });

    public void Dispose() => _runtime.Dispose();

    [Fact]
    public void Every_deployment_then_the_fallbacks_are_planned_once()
    {
        var plan = AttemptPlanner.Plan(_runtime.Models["split"], _runtime);
        Assert.Equal(3, plan.Count);
        Assert.Equal(["a", "b"], plan.Take(2).Select(d => d.Provider.Name).Order());
        Assert.Equal("c", plan[2].Provider.Name);
    }

    [Fact]
    public void First_choice_follows_the_weights_within_statistical_tolerance()
    {
        const int n = 20_000;
        var firstIsA = Enumerable.Range(0, n).Count(_ => AttemptPlanner.Plan(_runtime.Models["split"], _runtime)[0].Provider.Name == "a");
        // Expected 0.75; a binomial with n=20000 has sd ≈ 0.003, so ±0.02 is > 6 sd.
        Assert.InRange(firstIsA / (double)n, 0.73, 0.77);
    }

    private static ProviderConfig Provider(string name) =>
        new() { Name = name, Type = ProviderType.OpenAI, BaseUrl = new Uri($"http://127.0.0.1:1/{name}/v1") };

    private static DeploymentConfig Deployment(string provider, int weight) =>
        new() { Provider = provider, Model = provider + "-model", Weight = weight };
}
