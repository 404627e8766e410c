using Microsoft.Playwright;
using Switchboard.WebConsole.Charts;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// The operator's overview in Chromium: its cards, chart and top keys say what the ledger says (read back through
/// /admin/usage for the same hour-aligned range), compared with the period before; the range, metric and split links
/// switch the view; an empty ledger says how to send the first request; no secret on the page; fits a phone.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class OverviewTests(ChromiumFixture chromium, MockUpstreamFixture mock)
{
    [Fact]
    public async Task The_cards_chart_and_top_keys_show_the_ledgers_last_day_against_the_day_before()
    {
        await using var data = await ConsoleUsageData.StartAsync(mock);
        await data.RecordEarlierAsync(TimeSpan.FromHours(30), count: 2);
        var (from, to) = LastHours(24);
        var now = await data.UsageAsync(from, to);
        var before = await data.UsageAsync(from.AddDays(-1), from);
        Assert.True(before.GetProperty("requests").GetInt64() > 0, "the earlier rows are in the day before");
        await using var context = await chromium.NewContextAsync(data.Gateway.BaseUrl);

        var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);

        Assert.EndsWith("/ui", page.Url, StringComparison.Ordinal);
        long requests = Long(now, "requests"), previous = Long(before, "requests");
        Assert.Equal(ChartFormat.Count(requests), await Text(page, "[data-stat=requests] .value"));
        var requestsChange = await Text(page, "[data-stat=requests] .delta");
        Assert.Contains($"{(requests > previous ? "↑" : "↓")} {ChartFormat.Percent(Math.Abs(requests - previous) / (double)previous)}", requestsChange, StringComparison.Ordinal);
        Assert.Contains($"vs {ChartFormat.Count(previous)} in the 24 hours before", requestsChange, StringComparison.Ordinal);
        Assert.Equal(ChartFormat.Count(Long(now, "prompt_tokens") + Long(now, "completion_tokens")), await Text(page, "[data-stat=tokens] .value"));
        Assert.Contains($"({ChartFormat.Count(Long(now, "cached_tokens"))} cached)", await Text(page, "[data-stat=tokens] .sub"), StringComparison.Ordinal);
        Assert.Equal(ChartFormat.Usd(now.GetProperty("cost_usd").GetDecimal()), await Text(page, "[data-stat=cost] .value"));
        Assert.True(Long(now, "unpriced_requests") > 0, "bob's refused request has no price");
        Assert.Contains($"{Long(now, "unpriced_requests")} unpriced request", await Text(page, "[data-stat=cost] .sub"), StringComparison.Ordinal);
        Assert.True(Long(now, "failed_requests") > 0, "bob's refused request is in the ledger");
        Assert.Equal(ChartFormat.Percent(Long(now, "failed_requests") / (double)requests), await Text(page, "[data-stat=errors] .value"));

        // The chart: an SVG with one legend entry per model of the range.
        Assert.True(await page.IsVisibleAsync("svg.chart"));
        var models = (await data.UsageAsync(from, to, "group_by=model")).GetProperty("data").EnumerateArray().Select(g => g.GetProperty("group").GetString()!).Order().ToList();
        Assert.Equal(models, (await Legend(page)).Order().ToList());

        // Top keys by spend: the ledger's keys, most spent first, each linking to its key's page.
        var keys = (await data.UsageAsync(from, to, "group_by=key")).GetProperty("data").EnumerateArray()
            .OrderByDescending(g => g.GetProperty("cost_usd").GetDecimal()).ThenByDescending(g => Long(g, "requests")).ToList();
        var rows = page.Locator("section.top-keys tbody tr");
        Assert.Equal(keys.Count, await rows.CountAsync());
        for (var i = 0; i < keys.Count; i++)
        {
            var link = rows.Nth(i).Locator("td").First.Locator("a");
            Assert.Equal(keys[i].GetProperty("name").GetString(), await link.InnerTextAsync());
            Assert.Equal($"/ui/keys/{keys[i].GetProperty("group").GetString()}", await link.GetAttributeAsync("href"));
            Assert.Equal(ChartFormat.Usd(keys[i].GetProperty("cost_usd").GetDecimal()), await rows.Nth(i).Locator("td").Nth(3).InnerTextAsync());
        }
        Assert.Equal(ConsoleUsageData.CarolTeam, await page.Locator($"section.top-keys tr:has(a[href='/ui/keys/{data.CarolId}']) td").Nth(1).InnerTextAsync());
        await ConsoleBrowsing.AssertNoSecretAsync(page, data.Secrets);
    }

    [Fact]
    public async Task The_range_metric_and_split_links_switch_the_view_and_fit_a_phone()
    {
        await using var data = await ConsoleUsageData.StartAsync(mock);
        await using var context = await chromium.NewContextAsync(data.Gateway.BaseUrl);
        var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);

        await page.ClickAsync("nav[aria-label=Range] a:text-is('Week')");
        Assert.Contains("range=week", page.Url, StringComparison.Ordinal);
        var (from, to) = LastHours(24 * 7);
        Assert.Equal(ChartFormat.Count(Long(await data.UsageAsync(from, to), "requests")), await Text(page, "[data-stat=requests] .value"));
        Assert.StartsWith("Requests per day by model", await Text(page, "#chart-title"), StringComparison.Ordinal);
        Assert.Contains("none in the 7 days before", await Text(page, "[data-stat=requests] .delta"), StringComparison.Ordinal);

        await page.ClickAsync("nav[aria-label=Split] a:text-is('By provider')");
        Assert.Contains("range=week", page.Url, StringComparison.Ordinal);
        Assert.Contains("split=provider", page.Url, StringComparison.Ordinal);
        var providers = (await data.UsageAsync(from, to, "group_by=provider")).GetProperty("data").EnumerateArray()
            .Select(g => g.GetProperty("group").GetString() is { Length: > 0 } name ? name : Switchboard.WebConsole.Usage.UsageLabels.Missing(Switchboard.Storage.Usage.UsageGrouping.Provider)).Order().ToList();
        Assert.Equal(providers, (await Legend(page)).Order().ToList());

        await page.ClickAsync("nav[aria-label=Metric] a:text-is('Cost')");
        Assert.StartsWith("Cost per day by provider", await Text(page, "#chart-title"), StringComparison.Ordinal);
        Assert.Contains(ChartFormat.Usd((await data.UsageAsync(from, to)).GetProperty("cost_usd").GetDecimal()), await Text(page, "ul.legend"), StringComparison.Ordinal);

        await page.GotoAsync("/ui?range=year");
        Assert.Contains("“year” is not a range here", await Text(page, "[role=alert]"), StringComparison.Ordinal);
        Assert.Equal("Day", await Text(page, "nav[aria-label=Range] a[aria-current=true]"));

        await using var phone = await chromium.NewContextAsync(data.Gateway.BaseUrl, width: 390, height: 844);
        var small = await ConsoleBrowsing.SignInAsync(phone, TestConfigs.MasterKey);
        foreach (var path in new[] { "/ui", "/ui?range=month&split=provider&metric=cost" })
        {
            await ConsoleBrowsing.OpenAsync(small, path);
            await ConsoleUsageData.AssertNoHorizontalOverflowAsync(small);
            await ConsoleBrowsing.AssertNoSecretAsync(small, data.Secrets);
        }
    }

    [Fact]
    public async Task An_empty_ledger_says_how_to_send_the_first_request()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        await using var context = await chromium.NewContextAsync(gateway.BaseUrl);

        var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);

        var empty = await Text(page, ".first-request");
        Assert.Contains("No requests yet", empty, StringComparison.Ordinal);
        Assert.Contains($"{gateway.BaseUrl}/v1/chat/completions", empty, StringComparison.Ordinal);
        Assert.Contains("\"model\": \"chat\"", empty, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("svg.chart").CountAsync());
        await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.MasterKey, TestConfigs.AliceKey, TestConfigs.BobKey, MockUpstreamFixture.ProviderKey);
    }

    /// <summary>The overview's range: the last <paramref name="hours"/> up to the end of the current UTC hour.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) LastHours(int hours)
    {
        var now = DateTimeOffset.UtcNow;
        var to = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        return (to.AddHours(-hours), to);
    }

    private static long Long(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    private static async Task<string> Text(IPage page, string selector) => (await page.Locator(selector).First.InnerTextAsync()).Trim();

    /// <summary>The chart legend's series names (each entry is the name, then its total).</summary>
    public static async Task<List<string>> Legend(IPage page)
    {
        var names = new List<string>();
        foreach (var item in await page.Locator("ul.legend li").AllAsync())
        {
            var total = await item.Locator(".muted").InnerTextAsync();
            names.Add((await item.InnerTextAsync()).Trim()[..^total.Length].Trim());
        }
        return names;
    }
}
