using Switchboard.Tests.EndToEnd.Routing;
using static Switchboard.Tests.WebConsole.ConsolePages;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// The operator's deployments and models pages in a real browser: a deployment the mock fails shows as cooling down
/// with the reason; every model shows its deployments, the prices it is billed at and the keys that may call it.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class DeploymentsAndModelsTests(ChromiumFixture chromium, MockUpstreamFixture mock)
{
    [Fact]
    public async Task The_deployments_page_shows_a_deployment_cooling_down_after_the_mock_fails_it()
    {
        await using var gateway = await RoutingTestSupport.StartAsync(
            RoutingTestSupport.Provider("faulty", mock.BaseUrl, "status=503") + "\n" + RoutingTestSupport.Provider("healthy", mock.BaseUrl),
            RoutingTestSupport.PriorityModel("faulty", "healthy"),
            "routing: { cooldown_failures: 1, cooldown: 10m, backoff: 5ms }");
        var (status, body) = await ChatAsync(gateway, TestConfigs.MasterKey, "m");
        Assert.True(status == HttpStatusCode.OK, body); // the healthy deployment answered
        var faulty = await RoutingTestSupport.DeploymentAsync(gateway, "m", "faulty", row => row.GetProperty("state").GetString() == "cooling_down");
        Assert.Equal("cooling_down", faulty.GetProperty("state").GetString());
        var until = faulty.GetProperty("cooldown_until").GetDateTimeOffset();
        await RoutingTestSupport.DeploymentAsync(gateway, "m", "healthy", row => row.GetProperty("latency_samples").GetInt64() > 0);

        foreach (var width in new[] { 1366, 390 })
        {
            await using var context = await chromium.NewContextAsync(gateway.BaseUrl, width);
            var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);
            await ConsoleBrowsing.OpenAsync(page, "/ui/deployments");

            var faultyRow = await RowTextAsync(page, "faulty");
            Assert.Contains("cooling down", faultyRow, StringComparison.Ordinal);
            Assert.Contains($"until {Switchboard.WebConsole.Forms.Display.Utc(until)}", faultyRow, StringComparison.Ordinal);
            Assert.Contains("503", faultyRow, StringComparison.Ordinal);
            Assert.Contains("gpt-4o-mini", faultyRow, StringComparison.Ordinal);
            var healthyRow = await RowTextAsync(page, "healthy");
            Assert.Contains("healthy", healthyRow, StringComparison.Ordinal);
            Assert.Matches(@"\d+ ms", healthyRow);
            Assert.Contains("1 / 0", healthyRow, StringComparison.Ordinal);
            Assert.Equal("1", (await page.InnerTextAsync(".stat:has-text('Cooling down') .value")).Trim());
            await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.MasterKey, MockUpstreamFixture.ProviderKey);
            await AssertNoHorizontalOverflowAsync(page);
        }
    }

    [Fact]
    public async Task The_models_page_shows_configured_prices_and_which_keys_may_use_each_model()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl, extraModels:
            "  cached:\n    - { provider: mock, model: gpt-4o-mini, input_per_mtok: 1.5, output_per_mtok: 6, cached_input_per_mtok: 0.75 }"));

        foreach (var width in new[] { 1366, 390 })
        {
            await using var context = await chromium.NewContextAsync(gateway.BaseUrl, width);
            var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);
            await ConsoleBrowsing.OpenAsync(page, "/ui/models");

            var chat = await page.InnerTextAsync("#model-chat");
            Assert.Matches(@"mock\s+gpt-4o-mini\s+\$0\.15\s+\$0\.6\s+—\s+config", chat);
            Assert.Contains("alice", chat, StringComparison.Ordinal);
            Assert.Contains("bob", chat, StringComparison.Ordinal);
            var cached = await page.InnerTextAsync("#model-cached");
            Assert.Matches(@"\$1\.5\s+\$6\s+\$0\.75\s+config", cached);
            var other = await page.InnerTextAsync("#model-other"); // gpt-4o: no price in the config, the built-in list's
            Assert.Matches(@"gpt-4o\s+\$2\.5\s+\$10\s+\$1\.25\s+price list", other);
            Assert.Contains("alice", other, StringComparison.Ordinal);
            Assert.DoesNotContain("bob", other, StringComparison.Ordinal); // bob may use only chat
            await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.MasterKey, TestConfigs.AliceKey, TestConfigs.BobKey, MockUpstreamFixture.ProviderKey);
            await AssertNoHorizontalOverflowAsync(page);
        }
    }
}
