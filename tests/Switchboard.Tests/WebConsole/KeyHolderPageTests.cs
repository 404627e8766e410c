using System.Globalization;
using Microsoft.Playwright;
using Switchboard.WebConsole.Charts;

using static Switchboard.Tests.WebConsole.RequestPageReading;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// A key holder's own page (<c>/ui/me</c>) and request pages, in Chromium, signed in with alice's key after alice and
/// bob both sent requests: alice sees her key, limits, spend and remaining budget as the admin API reports them, her
/// usage per model and her requests; nothing of bob's (ids, name, models) appears, and bob's request page is a 404.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class KeyHolderPageTests(ChromiumFixture chromium, MockUpstreamFixture mock)
{
    [Fact]
    public async Task Alice_sees_her_key_limits_spend_and_remaining_budget_as_the_admin_api_reports_them()
    {
        await using var traffic = await ConsoleTraffic.StartAsync(mock);
        var key = await traffic.AdminKeyAsync("alice");
        var spend = key.GetProperty("spend_usd").GetDecimal();
        var budget = key.GetProperty("budget_usd").GetDecimal();
        var page = await traffic.SignInAsync(chromium, TestConfigs.AliceKey);

        await ConsoleBrowsing.OpenAsync(page, "/ui/me");

        Assert.True(spend > 0, "the traffic should have cost something");
        Assert.Equal(ChartFormat.Usd(budget - spend), (await page.InnerTextAsync("#remaining")).Trim());
        Assert.Equal(ChartFormat.Usd(spend), (await page.InnerTextAsync("#spend")).Trim());
        Assert.Equal(spend, decimal.Parse((await page.GetAttributeAsync(".balance meter", "value"))!, CultureInfo.InvariantCulture));
        Assert.Equal(budget, decimal.Parse((await page.GetAttributeAsync(".balance meter", "max"))!, CultureInfo.InvariantCulture));
        Assert.Equal(key.GetProperty("id").GetString(), await FactAsync(page, "Key id"));
        Assert.Equal(key.GetProperty("key_prefix").GetString(), await FactAsync(page, "Prefix"));
        Assert.Equal("research", await FactAsync(page, "Team"));
        Assert.Equal(["chat", "failover"], await page.Locator(".chips li").AllInnerTextsAsync());
        // Her limits beside her team's (from the config: tpm 500,000 and a $5 budget; the team: 600 rpm and $100).
        Assert.Equal(["Tokens per minute", "500,000", "unlimited"], await LimitRowAsync(page, "Tokens per minute"));
        Assert.Equal(["Requests per minute", "unlimited", "600"], await LimitRowAsync(page, "Requests per minute"));
        Assert.Equal(["Budget", ChartFormat.Usd(budget), ChartFormat.Usd(100m)], await LimitRowAsync(page, "Budget"));

        // Per model, as /admin/usage groups her key's requests.
        using var admin = traffic.Gateway.Client(TestConfigs.MasterKey);
        var groups = JsonDocument.Parse(await admin.GetStringAsync($"/admin/usage?key_id={key.GetProperty("id").GetString()}&group_by=model"))
            .RootElement.GetProperty("data").EnumerateArray().ToList();
        var shown = await page.Locator("table.model-totals tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))");
        Assert.Equal(groups.Count, shown.Length);
        foreach (var group in groups)
        {
            var name = group.GetProperty("group").GetString() is { Length: > 0 } model ? model : "(no model)";
            var row = Assert.Single(shown, r => r[0] == name);
            Assert.Equal(Count(group, "requests"), row[1]);
            Assert.Equal(Count(group, "failed_requests"), row[2]);
            Assert.Equal($"{Count(group, "prompt_tokens")} / {Count(group, "completion_tokens")}", row[3]);
            Assert.StartsWith(ChartFormat.Usd(group.GetProperty("cost_usd").GetDecimal()), row[4], StringComparison.Ordinal);
        }

        // The chart splits her spend by model; her recent requests are hers, newest first.
        Assert.Equal(["chat", "failover"], (await page.Locator(".legend li").AllInnerTextsAsync()).Select(l => l.Split(' ')[0]).Order());
        var expectedRecent = (await traffic.AdminRowsAsync()).Values.Where(r => r.GetProperty("key_name").GetString() == "alice")
            .OrderByDescending(r => r.GetProperty("time").GetDateTimeOffset()).ThenByDescending(r => r.GetProperty("request_id").GetString(), StringComparer.Ordinal)
            .Select(r => r.GetProperty("request_id").GetString());
        Assert.Equal(expectedRecent, await IdsAsync(page));
        await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.AliceKey, TestConfigs.BobKey, TestConfigs.MasterKey, MockUpstreamFixture.ProviderKey);
    }

    [Fact]
    public async Task Nothing_of_bobs_appears_in_alices_pages_and_his_request_is_not_found()
    {
        await using var traffic = await ConsoleTraffic.StartAsync(mock);
        var bobKeyId = (await traffic.AdminKeyAsync("bob")).GetProperty("id").GetString()!;
        var page = await traffic.SignInAsync(chromium, TestConfigs.AliceKey);
        string[] bobs = [traffic.BobRequest, bobKeyId, "bob", "gpt-4.1", TestConfigs.BobKey];

        var pages = new List<string> { "/ui/me", "/ui/me?range=24h&metric=tokens", "/ui/me?metric=requests" };
        pages.AddRange(traffic.Alice.All.Select(id => "/ui/me/requests/" + id));
        foreach (var path in pages)
        {
            await ConsoleBrowsing.OpenAsync(page, path);
            await ConsoleBrowsing.AssertNoSecretAsync(page, [.. bobs, TestConfigs.AliceKey, TestConfigs.MasterKey, MockUpstreamFixture.ProviderKey]);
        }
        // Her own request's page: her attempts, her key.
        await ConsoleBrowsing.OpenAsync(page, "/ui/me/requests/" + traffic.Alice.Failover);
        Assert.Equal(2, await page.Locator("table.attempts tbody tr").CountAsync());
        Assert.StartsWith("alice", await FactAsync(page, "Key"), StringComparison.Ordinal);

        var his = await page.GotoAsync("/ui/me/requests/" + traffic.BobRequest);
        Assert.Equal(404, his!.Status);
        var html = await page.ContentAsync();
        foreach (var secret in bobs) Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        // The operator's view of it is not hers either.
        await page.GotoAsync("/ui/logs/" + traffic.BobRequest);
        Assert.EndsWith("/ui/me", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_phone_her_pages_fit_the_screen()
    {
        await using var traffic = await ConsoleTraffic.StartAsync(mock);
        await AssertFitOnAPhoneAsync(traffic, chromium, TestConfigs.AliceKey, "/ui/me", "/ui/me?range=24h", "/ui/me/requests/" + traffic.Alice.Failover);
    }

    private static async Task<string[]> LimitRowAsync(IPage page, string label) =>
        await page.Locator("table.limits tbody tr").Filter(new LocatorFilterOptions { Has = page.Locator($"th:text-is(\"{label}\")") })
            .EvaluateAsync<string[]>("r => [...r.cells].map(c => c.innerText.trim())");
}
