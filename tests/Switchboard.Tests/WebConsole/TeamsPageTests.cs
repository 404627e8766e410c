using Switchboard.WebConsole.Charts;
using static Switchboard.Tests.WebConsole.ConsolePages;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// The operator's teams pages in a real browser: a team created and edited in the console is what the admin API then
/// holds; the list shows its limits, its keys and its spend against its budget; bad values are shown beside their fields.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class TeamsPageTests(ChromiumFixture chromium, MockUpstreamFixture mock)
{
    /// <summary>A team the config file defines (read-only in the console).</summary>
    private const string ConfigTeams = "teams: { platform: { rpm: 100 } }";

    [Fact]
    public async Task A_team_created_and_edited_in_the_console_holds_its_limits_and_shows_its_keys_and_spend()
    {
        await using var session = await OperatorSession.StartAsync(chromium, TestConfigs.WithKeys(mock.BaseUrl));
        var (gateway, page) = (session.Gateway, session.Page);

        await ConsoleBrowsing.OpenAsync(page, "/ui/teams");
        await page.FillAsync("#f-name", "research");
        await page.FillAsync("#f-rpm", "7");
        await page.FillAsync("#f-budget_usd", "5");
        await page.SelectOptionAsync("#f-budget_period", "monthly");
        await page.ClickAsync("button:has-text('Create team')");
        Assert.EndsWith("/ui/teams/research?created=1", page.Url, StringComparison.Ordinal);
        Assert.Contains("Team created.", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);

        await page.FillAsync("#f-tpm", "5000");
        await page.ClickAsync("button:has-text('Save changes')");
        Assert.Contains("Saved.", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        var team = await AdminGetAsync(gateway, "/admin/teams/research");
        Assert.Equal(7, team.GetProperty("rpm").GetInt32());
        Assert.Equal(5000, team.GetProperty("tpm").GetInt32());
        Assert.Equal(5m, team.GetProperty("budget_usd").GetDecimal());
        Assert.Equal("monthly", team.GetProperty("budget_period").GetString());

        var (_, secret) = await AdminCreateKeyAsync(gateway, """{"name":"lab-bot","team":"research"}""");
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, secret, "chat")).Status);
        var spend = (await AdminGetAsync(gateway, "/admin/usage?team=research")).GetProperty("cost_usd").GetDecimal();
        Assert.True(spend > 0, "the team's request was priced");

        await ConsoleBrowsing.OpenAsync(page, "/ui/teams");
        var row = await RowTextAsync(page, "research");
        Assert.Contains("7 rpm · 5,000 tpm", row, StringComparison.Ordinal);
        Assert.Matches(@"research\s+1\s", row); // one key
        Assert.Contains($"{ChartFormat.Usd(spend)} this month", row, StringComparison.Ordinal);
        Assert.Contains($"{ChartFormat.Usd(5m - spend)} left of $5.00", row, StringComparison.Ordinal);
        await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.MasterKey, TestConfigs.AliceKey, secret);

        await page.ClickAsync("a:has-text('research')");
        Assert.Contains("lab-bot", await page.InnerTextAsync("table"), StringComparison.Ordinal);
        await page.CheckAsync("input[name=confirm]");
        await page.ClickAsync("button:has-text('Delete team')");
        Assert.Contains("Team research deleted", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        using var check = gateway.Client(TestConfigs.MasterKey);
        Assert.Equal(HttpStatusCode.NotFound, (await check.GetAsync("/admin/teams/research")).StatusCode);
    }

    [Fact]
    public async Task Bad_limits_and_a_taken_name_are_shown_beside_their_fields_and_the_pages_fit_a_phone()
    {
        await using var session = await OperatorSession.StartAsync(chromium,
            TestConfigs.WithKeys(mock.BaseUrl, extraTopLevel: ConfigTeams), width: 390);
        var (gateway, page) = (session.Gateway, session.Page);

        await ConsoleBrowsing.OpenAsync(page, "/ui/teams");
        await AssertNoHorizontalOverflowAsync(page);
        Assert.Contains("100 rpm", await RowTextAsync(page, "platform"), StringComparison.Ordinal);
        await page.FillAsync("#f-name", "platform");
        await page.FillAsync("#f-rpm", "0");
        await page.ClickAsync("button:has-text('Create team')");

        Assert.Contains("whole number of 1 or more", await page.InnerTextAsync(".field.invalid:has(#f-rpm) .error"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator(".field.invalid").CountAsync());
        await page.FillAsync("#f-rpm", "5");
        await page.ClickAsync("button:has-text('Create team')");
        Assert.Contains("exists already", await page.InnerTextAsync(".field.invalid:has(#f-name) .error"), StringComparison.Ordinal);
        Assert.Equal(100, (await AdminGetAsync(gateway, "/admin/teams/platform")).GetProperty("rpm").GetInt32());

        await ConsoleBrowsing.OpenAsync(page, "/ui/teams/platform");
        await AssertNoHorizontalOverflowAsync(page);
        Assert.Contains("defined in the config file", await page.InnerTextAsync("[role=note]"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("button:has-text('Delete team')").CountAsync());
    }
}
