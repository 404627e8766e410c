using static Switchboard.Tests.EndToEnd.Routing.RoutingTestSupport;

namespace Switchboard.Tests.EndToEnd.Routing;

/// <summary>Route overrides by key and team, hidden models, and the strategies seen from outside.</summary>
public sealed class KeyGroupRoutingTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>
{
    private const string Alice = "sb-alice-enterprise-1";
    private const string Bob = "sb-bob-standard-2";
    private const string Carol = "sb-carol-own-map-3";

    [Fact]
    public async Task A_team_gets_a_stronger_model_under_the_same_name_and_a_key_override_wins_over_its_team()
    {
        await using var gateway = await StartAsync(
            Provider("p", mock.BaseUrl),
            """
            smart: [{ provider: p, model: gpt-4o-mini }]
            smart-enterprise:
              hidden: true
              deployments: [{ provider: p, model: gpt-4o }]
            smart-carol:
              hidden: true
              deployments: [{ provider: p, model: gpt-4.1 }]
            """,
            $$"""
            keys:
              - { key: {{Alice}}, name: alice, team: enterprise }
              - { key: {{Bob}}, name: bob }
              - { key: {{Carol}}, name: carol, team: enterprise }
            route_overrides:
              - match: { team: enterprise }
                models: { smart: smart-enterprise }
              - match: { key: carol }
                models: { smart: smart-carol }
            """);

        Assert.Equal("gpt-4o", await UpstreamModelAsync(gateway, Alice));
        Assert.Equal("gpt-4o-mini", await UpstreamModelAsync(gateway, Bob));
        Assert.Equal("gpt-4.1", await UpstreamModelAsync(gateway, Carol));

        // Hidden models are neither listed nor requestable by name.
        using var alice = gateway.Client(Alice);
        var listed = JsonDocument.Parse(await alice.GetStringAsync("/v1/models")).RootElement.GetProperty("data")
            .EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["smart"], listed);
        var direct = await SendAsync(alice, "smart-enterprise", stream: false);
        Assert.Equal(HttpStatusCode.NotFound, direct.Status);
        Assert.Equal("model_not_found", direct.ErrorCode);
    }

    private static async Task<string?> UpstreamModelAsync(GatewayInstance gateway, string key)
    {
        using var http = gateway.Client(key);
        var answer = await SendAsync(http, "smart", stream: false);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var row = await answer.RowAsync(gateway);
        Assert.Equal("smart", row.GetProperty("model").GetString());
        return row.GetProperty("upstream_model").GetString();
    }

    [Fact]
    public async Task Strategies_route_as_configured_over_many_requests()
    {
        await using var gateway = await StartAsync(
            Provider("a", mock.BaseUrl, "words=130") + "\n" + Provider("b", mock.BaseUrl, "words=131") + "\n"
            + Provider("slow", mock.BaseUrl, "latency_ms=400;words=132"),
            """
            weighted:
              - { provider: a, model: gpt-4o-mini, weight: 3 }
              - { provider: b, model: gpt-4o-mini, weight: 1 }
            ordered:
              strategy: priority
              deployments:
                - { provider: a, model: gpt-4o-mini, priority: 5 }
                - { provider: b, model: gpt-4o-mini, priority: 1 }
            cheap:
              strategy: lowest-cost
              deployments:
                - { provider: a, model: gpt-4o, input_per_mtok: 2.5, output_per_mtok: 10 }
                - { provider: b, model: gpt-4o-mini, input_per_mtok: 0.15, output_per_mtok: 0.6 }
            quick:
              strategy: lowest-latency
              deployments:
                - { provider: slow, model: gpt-4o-mini }
                - { provider: b, model: gpt-4o }
            """);
        using var http = gateway.Client(TestConfigs.MasterKey);

        async Task<Dictionary<string, int>> Count(string model, int n)
        {
            var counts = new Dictionary<string, int>();
            for (var i = 0; i < n; i++)
            {
                var answer = await SendAsync(http, model, stream: i % 2 == 0);
                Assert.Equal(HttpStatusCode.OK, answer.Status);
                var provider = answer.Header("x-switchboard-provider");
                counts[provider] = counts.GetValueOrDefault(provider) + 1;
            }
            return counts;
        }

        // 400 requests at p = 0.75: sd = 8.7 requests, so ±45 is more than 5 sd.
        var weighted = await Count("weighted", 400);
        Assert.InRange(weighted.GetValueOrDefault("a"), 255, 345);
        Assert.Equal(20, (await Count("ordered", 20)).GetValueOrDefault("b"));
        Assert.Equal(20, (await Count("cheap", 20)).GetValueOrDefault("b"));
        var quick = await Count("quick", 60);
        Assert.True(quick.GetValueOrDefault("b") >= 45, $"lowest-latency sent {quick.GetValueOrDefault("b")} of 60 to the fast deployment");
        Assert.True(quick.GetValueOrDefault("slow") >= 1, "the untried deployment was explored");
    }
}
