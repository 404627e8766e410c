using System.Globalization;
using CsvHelper;
using Microsoft.Playwright;
using Switchboard.WebConsole.Charts;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// The usage explorer in Chromium: its table and totals say what /admin/usage says for the same days, grouping and
/// filters; the chart has a series per group; the CSV download has the same numbers, RFC 4180 quoting and no cell a
/// spreadsheet would run as a formula; bad input is a message on the page (and a 400), never a 500; fits a phone.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class UsageExplorerTests(ChromiumFixture chromium, MockUpstreamFixture mock)
{
    private static readonly string[] NumberColumns = ["requests", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens"];

    [Fact]
    public async Task The_table_chart_and_csv_by_key_match_the_ledger_for_the_last_30_days()
    {
        await using var data = await ConsoleUsageData.StartAsync(mock);
        var (from, to) = Last30Days();
        var ledger = await data.UsageAsync(from, to, "group_by=key");
        await using var context = await chromium.NewContextAsync(data.Gateway.BaseUrl);
        var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);

        await ConsoleBrowsing.OpenAsync(page, "/ui/usage");

        var groups = ledger.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(groups.Count, await page.Locator("table.usage-table tbody tr").CountAsync());
        foreach (var group in groups)
        {
            var id = group.GetProperty("group").GetString()!;
            var cells = await Cells(page.Locator($"table.usage-table tbody tr[data-group='{id}']"));
            Assert.Equal(group.GetProperty("name").GetString(), cells[0]);
            Assert.Equal(Expected(group), cells[1..]);
            Assert.Equal($"/ui/keys/{id}", await page.Locator($"tr[data-group='{id}'] td a").GetAttributeAsync("href"));
        }
        var total = await Cells(page.Locator("table.usage-table tfoot tr"));
        Assert.Equal(Expected(ledger.GetProperty("total")), total[1..]);
        Assert.True(await page.IsVisibleAsync("svg.chart"));
        Assert.Equal(groups.Select(g => g.GetProperty("name").GetString()!).Order().ToList(), (await OverviewTests.Legend(page)).Order().ToList());
        await ConsoleBrowsing.AssertNoSecretAsync(page, data.Secrets);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("a:text-is('Download CSV')"));
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var csv = ReadCsv(await File.ReadAllTextAsync((await download.PathAsync())!));
        Assert.Equal(groups.Count, csv.Count);
        foreach (var group in groups)
        {
            var row = csv.Single(r => r["key_id"] == group.GetProperty("group").GetString());
            Assert.Equal(group.GetProperty("name").GetString(), row["key_name"]);
            foreach (var column in NumberColumns) Assert.Equal(group.GetProperty(column).GetInt64(), long.Parse(row[column], CultureInfo.InvariantCulture));
            Assert.Equal(group.GetProperty("cost_usd").GetDecimal(), decimal.Parse(row["cost_usd"], CultureInfo.InvariantCulture));
        }
        foreach (var column in NumberColumns.Concat(["failed_requests", "unpriced_requests"]))
        {
            Assert.Equal(ledger.GetProperty("total").GetProperty(column).GetInt64(), csv.Sum(r => long.Parse(r[column], CultureInfo.InvariantCulture)));
        }
        Assert.Equal(ledger.GetProperty("total").GetProperty("cost_usd").GetDecimal(), csv.Sum(r => decimal.Parse(r["cost_usd"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Group_by_links_and_filters_narrow_the_table_to_what_the_ledger_says()
    {
        await using var data = await ConsoleUsageData.StartAsync(mock);
        var (from, to) = Last30Days();
        await using var context = await chromium.NewContextAsync(data.Gateway.BaseUrl);
        var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);
        await ConsoleBrowsing.OpenAsync(page, "/ui/usage");

        await page.ClickAsync("nav[aria-label='Group by'] a:text-is('Model')");
        Assert.Contains("group_by=model", page.Url, StringComparison.Ordinal);
        var byModel = (await data.UsageAsync(from, to, "group_by=model")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(byModel.Select(g => g.GetProperty("group").GetString()!).Order().ToList(), (await OverviewTests.Legend(page)).Order().ToList());
        foreach (var group in byModel)
        {
            Assert.Equal(Expected(group), (await Cells(page.Locator($"tbody tr[data-group='{group.GetProperty("group").GetString()}']")))[1..]);
        }

        // Filter by carol's key: only her requests, still by model.
        await page.SelectOptionAsync("select[name=key]", data.CarolId);
        await page.ClickAsync("form.usage-filters button[type=submit]");
        Assert.Contains($"key={data.CarolId}", page.Url, StringComparison.Ordinal);
        Assert.Contains("group_by=model", page.Url, StringComparison.Ordinal);
        var carols = await data.UsageAsync(from, to, $"group_by=model&key_id={data.CarolId}");
        Assert.Equal(carols.GetProperty("data").GetArrayLength(), await page.Locator("tbody tr").CountAsync());
        Assert.Equal(Expected(carols.GetProperty("total")), (await Cells(page.Locator("tfoot tr")))[1..]);

        // By day, with the filter kept: today's row is carol's usage.
        await page.ClickAsync("nav[aria-label='Group by'] a:text-is('Day')");
        Assert.Contains($"key={data.CarolId}", page.Url, StringComparison.Ordinal);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var byDay = (await data.UsageAsync(from, to, $"group_by=day&key_id={data.CarolId}")).GetProperty("data").EnumerateArray().Single();
        Assert.Equal(today, byDay.GetProperty("group").GetString());
        Assert.Equal(Expected(byDay), (await Cells(page.Locator($"tbody tr[data-group='{today}']")))[1..]);

        // By team: carol's team by name.
        await page.ClickAsync("nav[aria-label='Group by'] a:text-is('Team')");
        Assert.Equal(ConsoleUsageData.CarolTeam, (await Cells(page.Locator("tbody tr")))[0]);

        await using var phone = await chromium.NewContextAsync(data.Gateway.BaseUrl, width: 390, height: 844);
        var small = await ConsoleBrowsing.SignInAsync(phone, TestConfigs.MasterKey);
        foreach (var path in new[] { "/ui/usage", "/ui/usage?group_by=day&metric=cost", "/ui/usage?from=2026-13-01" })
        {
            await small.GotoAsync(path);
            await ConsoleUsageData.AssertNoHorizontalOverflowAsync(small);
        }
    }

    [Fact]
    public async Task Bad_input_is_a_clear_message_on_the_page_and_a_400_from_the_csv()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        await using var context = await chromium.NewContextAsync(gateway.BaseUrl);
        var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);
        var cases = new Dictionary<string, string>
        {
            ["from=2026-11-20&to=2026-11-01"] = "is after To", ["group_by=colour"] = "Group by “colour” is not known",
            ["from=2026-13-45"] = "From “2026-13-45” is not a date", ["to=yesterday"] = "To “yesterday” is not a date",
            ["metric=joy"] = "metric “joy” is not known", ["from=2001-01-01&to=2026-01-01"] = "more than 366 days",
        };

        foreach (var (query, message) in cases)
        {
            var response = await page.GotoAsync("/ui/usage?" + query);

            Assert.Equal(400, response!.Status);
            Assert.Contains(message, await page.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);
            Assert.True(await page.IsVisibleAsync("form.usage-filters"), "the form stays, so the input can be fixed");
            var csv = await context.APIRequest.GetAsync("/ui/usage.csv?" + query);
            Assert.Equal(400, csv.Status);
            Assert.Contains(message, await csv.TextAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Csv_cells_a_spreadsheet_would_run_as_formulas_are_escaped_and_quoted()
    {
        await using var data = await ConsoleUsageData.StartAsync(mock);
        const string name = "=HYPERLINK(\"http://evil.example\",\"click, here\")";
        var key = await ConsoleUsageData.CreateKeyAsync(data.Admin, JsonSerializer.Serialize(new { name, team = "@ops" }));
        Assert.Equal(HttpStatusCode.OK, (await data.ChatAsync(key.GetProperty("key").GetString()!, "chat")).StatusCode);
        await data.FlushAsync(8);
        await using var context = await chromium.NewContextAsync(data.Gateway.BaseUrl);
        var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);

        await ConsoleBrowsing.OpenAsync(page, "/ui/usage");
        Assert.Equal(name, await page.Locator($"tr[data-group='{key.GetProperty("id").GetString()}'] td a").InnerTextAsync());

        var byKey = await context.APIRequest.GetAsync("/ui/usage.csv?group_by=key");
        Assert.Equal(200, byKey.Status);
        Assert.StartsWith("attachment;", byKey.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.StartsWith("text/csv", byKey.Headers["content-type"], StringComparison.Ordinal);
        var text = await byKey.TextAsync();
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click, here\"\")\"", text, StringComparison.Ordinal);
        Assert.Equal("'" + name, ReadCsv(text).Single(r => r["key_id"] == key.GetProperty("id").GetString())["key_name"]);
        var byTeam = ReadCsv(await (await context.APIRequest.GetAsync("/ui/usage.csv?group_by=team")).TextAsync());
        Assert.Contains(byTeam, r => r["team"] == "'@ops");
        Assert.DoesNotContain(byTeam.Concat(ReadCsv(text)).SelectMany(r => r.Values), cell => cell.Length > 0 && "=+-@".Contains(cell[0], StringComparison.Ordinal));
        foreach (var secret in data.Secrets) Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    /// <summary>[from, to) of the explorer's default range: the last 30 UTC days, today included.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Last30Days()
    {
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        return (today.AddDays(-29), today.AddDays(1));
    }

    /// <summary>The row's cells as the page should show them: requests, the four token counts, cost, failed, unpriced.</summary>
    private static string[] Expected(JsonElement g) =>
    [
        .. NumberColumns.Select(c => g.GetProperty(c).GetInt64().ToString("#,0", CultureInfo.InvariantCulture)),
        ChartFormat.Usd(g.GetProperty("cost_usd").GetDecimal()),
        g.GetProperty("failed_requests").GetInt64().ToString("#,0", CultureInfo.InvariantCulture),
        g.GetProperty("unpriced_requests").GetInt64().ToString("#,0", CultureInfo.InvariantCulture),
    ];

    private static async Task<string[]> Cells(ILocator row) =>
        [.. (await row.Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim())];

    /// <summary>The CSV's records by column name (read with CsvHelper's RFC 4180 reader).</summary>
    private static List<Dictionary<string, string>> ReadCsv(string text)
    {
        using var reader = CsvReader.FromText(text);
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(reader.Headers.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => reader.GetString(x.i)));
        }
        return rows;
    }
}
