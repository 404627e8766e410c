using Switchboard.Config;
using Switchboard.Routing.Policies;

namespace Switchboard.Core.Tests.Routing;

public sealed class RoutingPoliciesTests
{
    [Fact]
    public void Every_strategy_has_a_policy_named_as_in_the_config()
    {
        foreach (var strategy in Enum.GetValues<RoutingStrategy>())
        {
            var policy = RoutingPolicies.For(strategy);
            Assert.Equal(strategy, policy.Strategy);
            Assert.Equal(RoutingMapperNames.Of(strategy), policy.Name);
            Assert.True(RoutingPolicies.TryGet(policy.Name, out var found));
            Assert.Same(policy, found);
        }
    }

    [Theory]
    [InlineData("least-busy")]
    [InlineData("Priority")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_name_finds_no_policy(string? name)
    {
        Assert.False(RoutingPolicies.TryGet(name, out var policy));
        Assert.Null(policy);
    }

    [Fact]
    public void A_strategy_outside_the_enum_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RoutingPolicies.For((RoutingStrategy)99));
}
