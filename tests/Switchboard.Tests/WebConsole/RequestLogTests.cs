using System.Globalization;
using Microsoft.Playwright;
using Switchboard.WebConsole.Requests;

using static Switchboard.Tests.WebConsole.RequestPageReading;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// The operator's request log (<c>/ui/logs</c>) and one request's page, in Chromium, over real traffic: each request's
/// row says what <c>/admin/logs</c> says, the GET filters narrow the rows, "Older" pages through everything once, a
/// request's page lists its upstream attempts; no secret anywhere; no sideways scrolling on a phone.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class RequestLogTests(ChromiumFixture chromium, MockUpstreamFixture mock)
{
    [Fact]
    public async Task Each_request_shows_the_numbers_the_ledger_keeps()
    {
        await using var traffic = await ConsoleTraffic.StartAsync(mock);
        var rows = await traffic.AdminRowsAsync();
        var page = await traffic.SignInAsync(chromium, TestConfigs.MasterKey);

        await ConsoleBrowsing.OpenAsync(page, "/ui/logs");

        Assert.Equal(rows.Count, await page.Locator("table.requests tbody tr").CountAsync());
        foreach (var (id, row) in rows)
        {
            var cells = await CellsAsync(page, id);
            Assert.Contains(RequestFormat.Utc(row.GetProperty("time").GetDateTimeOffset()), cells[0], StringComparison.Ordinal);
            Assert.Equal(Text(row, "key_name") ?? "—", cells[1]);
            Assert.StartsWith(Text(row, "model") is { Length: > 0 } model ? model : "—", cells[2], StringComparison.Ordinal);
            if (Text(row, "upstream_model") is { } upstream && upstream != Text(row, "model")) Assert.EndsWith("→ " + upstream, cells[2], StringComparison.Ordinal);
            Assert.Equal(Text(row, "provider") ?? "—", cells[3]);
            Assert.StartsWith(Text(row, "endpoint")!, cells[4], StringComparison.Ordinal);
            Assert.StartsWith(row.GetProperty("status").GetInt32().ToString(CultureInfo.InvariantCulture), cells[5], StringComparison.Ordinal);
            if (Text(row, "error_code") is { } error) Assert.Contains(error, cells[5], StringComparison.Ordinal);
            Assert.StartsWith($"{Count(row, "prompt_tokens")} / {Count(row, "completion_tokens")}", cells[6], StringComparison.Ordinal);
            Assert.StartsWith(RequestFormat.Cost(Cost(row)), cells[7], StringComparison.Ordinal);
            AssertMilliseconds(row.GetProperty("latency_ms").GetDouble(), cells[8]);
            if (row.GetProperty("ttft_ms").ValueKind == JsonValueKind.Null) Assert.Equal("—", cells[9]);
            else AssertMilliseconds(row.GetProperty("ttft_ms").GetDouble(), cells[9]);
            Assert.Equal(row.GetProperty("attempts").GetInt32().ToString(CultureInfo.InvariantCulture), cells[10]);
        }
        // The traffic itself is what the test meant to make: a success with tokens and a price, a refusal, a failover.
        var success = rows[traffic.Alice.Success];
        Assert.True(success.GetProperty("prompt_tokens").GetInt64() > 0 && Cost(success) > 0);
        Assert.Equal(400, rows[traffic.Alice.BadRequest].GetProperty("status").GetInt32());
        Assert.Equal(2, rows[traffic.Alice.Failover].GetProperty("attempts").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, rows[traffic.Alice.Stream].GetProperty("ttft_ms").ValueKind);
        await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.MasterKey, TestConfigs.AliceKey, TestConfigs.BobKey, MockUpstreamFixture.ProviderKey);
    }

    [Fact]
    public async Task The_filters_narrow_the_log()
    {
        await using var traffic = await ConsoleTraffic.StartAsync(mock);
        var alice = traffic.Alice;
        var page = await traffic.SignInAsync(chromium, TestConfigs.MasterKey);
        await ConsoleBrowsing.OpenAsync(page, "/ui/logs");

        // Through the form, as a person would: pick bob, press Filter.
        await page.SelectOptionAsync("select[name=key]", new SelectOptionValue { Label = "bob" });
        await page.ClickAsync("form.filters button[type=submit]");
        await page.WaitForURLAsync("**/ui/logs?*");
        Assert.Equal([traffic.BobRequest], await IdsAsync(page));
        Assert.Equal("bob", await page.Locator("select[name=key] option:checked").InnerTextAsync());

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var expectations = new (string Query, string[] Ids)[]
        {
            ("status=4xx", [alice.BadRequest]),
            ("status=ok&team=research", [alice.Success, alice.Stream, alice.Failover]),
            ("status=5xx", []),
            ("code=400", [alice.BadRequest]),
            ("model=failover", [alice.Failover]),
            ("provider=mock&model=chat", [alice.Success, alice.Stream]),
            ("endpoint=chat.completions", [.. alice.All, traffic.BobRequest]),
            ("endpoint=embeddings", []),
            ($"crid={ConsoleTraffic.AliceCrid}", [alice.Success]),
            ($"from={today}&to={today}", [.. alice.All, traffic.BobRequest]),
            ($"to={yesterday}", []),
        };
        foreach (var (query, ids) in expectations)
        {
            await ConsoleBrowsing.OpenAsync(page, "/ui/logs?" + query);
            Assert.True(ids.Order().SequenceEqual((await IdsAsync(page)).Order()), $"{query}: {string.Join(",", await IdsAsync(page))}");
            if (ids.Length == 0) Assert.Contains("No requests match", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        }

        // A value that cannot be read is said so and ignored, not an error page.
        await ConsoleBrowsing.OpenAsync(page, "/ui/logs?from=last-tuesday&code=999");
        Assert.Equal(5, (await IdsAsync(page)).Count);
        Assert.Contains("is not a date", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Contains("is not a number from 100 to 599", await page.InnerTextAsync("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Older_pages_walk_through_every_request_once_newest_first()
    {
        await using var traffic = await ConsoleTraffic.StartAsync(mock);
        using (var bob = traffic.Gateway.Client(TestConfigs.BobKey))
        {
            for (var i = 0; i < 52; i++) await ConsoleTraffic.SendAsync(bob, ConsoleTraffic.Chat("bobs-model", stream: false, text: $"page filler {i}"));
        }
        using var admin = traffic.Gateway.Client(TestConfigs.MasterKey);
        var expected = JsonDocument.Parse(await admin.GetStringAsync("/admin/logs?limit=1000")).RootElement.GetProperty("data")
            .EnumerateArray().Select(r => r.GetProperty("request_id").GetString()!).ToList();
        Assert.Equal(57, expected.Count);
        var page = await traffic.SignInAsync(chromium, TestConfigs.MasterKey);

        await ConsoleBrowsing.OpenAsync(page, "/ui/logs");
        var first = await IdsAsync(page);
        await page.ClickAsync("a[rel=next]");
        await page.WaitForURLAsync(url => url.Contains("before=", StringComparison.Ordinal));
        var second = await IdsAsync(page);

        Assert.Equal(expected.Take(50), first);
        Assert.Equal(expected.Skip(50), second);
        Assert.Equal(0, await page.Locator("a[rel=next]").CountAsync());
        await page.ClickAsync("text=← Newest");
        await page.WaitForURLAsync(url => !url.Contains("before=", StringComparison.Ordinal));
        Assert.Equal(first, await IdsAsync(page));

        // Paging keeps the filters.
        await ConsoleBrowsing.OpenAsync(page, "/ui/logs?model=bobs-model");
        Assert.Equal(50, (await IdsAsync(page)).Count);
        await page.ClickAsync("a[rel=next]");
        await page.WaitForURLAsync(url => url.Contains("before=", StringComparison.Ordinal));
        Assert.Contains("model=bobs-model", page.Url, StringComparison.Ordinal);
        Assert.Equal(expected.Where(id => !traffic.Alice.All.Contains(id)).Skip(50), await IdsAsync(page));
    }

    [Fact]
    public async Task A_requests_page_shows_its_attempts_tokens_and_cost()
    {
        await using var traffic = await ConsoleTraffic.StartAsync(mock);
        var rows = await traffic.AdminRowsAsync();
        var page = await traffic.SignInAsync(chromium, TestConfigs.MasterKey);
        await ConsoleBrowsing.OpenAsync(page, "/ui/logs");

        var failover = rows[traffic.Alice.Failover];
        await page.ClickAsync($"tr[data-request-id='{traffic.Alice.Failover}'] td a");
        await page.WaitForURLAsync($"**/ui/logs/{traffic.Alice.Failover}");

        Assert.Contains(traffic.Alice.Failover, await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        var attempts = await page.Locator("table.attempts tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [...r.cells].slice(1, 3).map(c => c.innerText.trim()))");
        var logged = Text(failover, "attempt_log")!.Split(',').Select(a => a.Split(':')).Select(a => new[] { a[0], a[1] }).ToArray();
        Assert.Equal(2, logged.Length);
        Assert.Equal(logged, attempts);
        Assert.Equal(Count(failover, "prompt_tokens"), await FactAsync(page, "Prompt tokens"));
        Assert.Equal(Count(failover, "completion_tokens"), await FactAsync(page, "Completion tokens"));
        Assert.Equal(RequestFormat.Cost(Cost(failover)), await FactAsync(page, "Cost"));
        Assert.Equal(Text(failover, "upstream_model"), await FactAsync(page, "Upstream model"));
        Assert.Equal("alice", (await FactAsync(page, "Key")).Split(' ')[0]);
        Assert.Equal("research", await FactAsync(page, "Team"));

        await ConsoleBrowsing.OpenAsync(page, $"/ui/logs/{traffic.Alice.Success}");
        Assert.Equal(ConsoleTraffic.AliceCrid, await FactAsync(page, "Client request id"));
        Assert.Equal(1, await page.Locator("table.attempts tbody tr").CountAsync());

        await ConsoleBrowsing.OpenAsync(page, $"/ui/logs/{traffic.Alice.BadRequest}");
        Assert.StartsWith("400", await FactAsync(page, "Status"), StringComparison.Ordinal);
        Assert.Contains("No upstream was called", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.MasterKey, TestConfigs.AliceKey, MockUpstreamFixture.ProviderKey);

        var missing = await page.GotoAsync("/ui/logs/req_00000000000000000000000000000000");
        Assert.Equal(404, missing!.Status);
        Assert.Equal("No such request", await page.InnerTextAsync("h1"));
    }

    [Fact]
    public async Task On_a_phone_the_log_and_a_request_fit_the_screen()
    {
        await using var traffic = await ConsoleTraffic.StartAsync(mock);
        await AssertFitOnAPhoneAsync(traffic, chromium, TestConfigs.MasterKey, "/ui/logs", "/ui/logs?status=4xx", $"/ui/logs/{traffic.Alice.Failover}");
    }

    private static async Task<List<string>> CellsAsync(IPage page, string requestId) =>
        [.. (await page.Locator($"tr[data-request-id='{requestId}'] td").AllInnerTextsAsync()).Select(c => c.Trim())];

    private static string? Text(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetString();

    private static decimal? Cost(JsonElement row) => row.GetProperty("cost_usd").ValueKind == JsonValueKind.Null ? null : row.GetProperty("cost_usd").GetDecimal();

    /// <summary>A shown duration ("840 ms", "1.25 s") is the recorded one, to its shown precision.</summary>
    private static void AssertMilliseconds(double expected, string shown)
    {
        var ms = shown.EndsWith(" ms", StringComparison.Ordinal)
            ? double.Parse(shown[..^3].TrimStart('<'), CultureInfo.InvariantCulture)
            : double.Parse(shown[..^2], CultureInfo.InvariantCulture) * 1000;
        Assert.True(Math.Abs(ms - expected) <= (shown.EndsWith(" ms", StringComparison.Ordinal) ? 1 : 10), $"shown {shown}, recorded {expected} ms");
    }
}
