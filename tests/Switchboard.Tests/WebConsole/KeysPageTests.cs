using Microsoft.Playwright;
using Switchboard.WebConsole.Charts;
using static Switchboard.Tests.WebConsole.ConsolePages;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// The operator's keys pages in a real browser: a key created in the console works at once and its secret is shown
/// only on the creation answer; the list and detail pages show it by name, prefix and spend; a revoked key is refused
/// at its next request; edited models take effect; bad values are shown beside their fields; forged forms are refused.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class KeysPageTests(ChromiumFixture chromium, MockUpstreamFixture mock)
{
    private Task<OperatorSession> OpenAsync(int width = 1366) => OperatorSession.StartAsync(chromium, TestConfigs.WithKeys(mock.BaseUrl), width);

    /// <summary>Fills and submits the new-key form; the page is left on the POST's answer.</summary>
    private static async Task SubmitNewKeyAsync(IPage page, string name, string budget = "", params string[] models)
    {
        await ConsoleBrowsing.OpenAsync(page, "/ui/keys/new");
        await page.FillAsync("#f-name", name);
        await page.FillAsync("#f-budget_usd", budget);
        foreach (var model in models) await page.CheckAsync($"input[name=models][value='{model}']");
        await page.ClickAsync("button:has-text('Create key')");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    [Fact]
    public async Task A_key_created_in_the_console_works_at_once_is_listed_without_its_secret_and_is_refused_once_revoked()
    {
        await using var session = await OpenAsync();
        var (gateway, page) = (session.Gateway, session.Page);

        await SubmitNewKeyAsync(page, "console-bot", budget: "2.5");
        Assert.Equal("Key created", await page.InnerTextAsync("h1"));
        Assert.Contains("will not be shown again", await page.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);
        var secret = (await page.InnerTextAsync("#secret")).Trim();
        Assert.EndsWith("/ui/keys/new", page.Url, StringComparison.Ordinal); // answered in the POST, no redirect carrying it

        var (status, body) = await ChatAsync(gateway, secret, "chat");
        Assert.True(status == HttpStatusCode.OK, body);

        var created = Assert.Single(await AdminKeysAsync(gateway), k => k.GetProperty("name").GetString() == "console-bot");
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith(created.GetProperty("key_prefix").GetString()!.TrimEnd('…'), secret, StringComparison.Ordinal);
        var spend = (await AdminGetAsync(gateway, $"/admin/keys/{id}")).GetProperty("spend_usd").GetDecimal();
        Assert.True(spend > 0, "the request was priced");

        await ConsoleBrowsing.OpenAsync(page, "/ui/keys");
        var row = await RowTextAsync(page, "console-bot");
        Assert.Contains(id, row, StringComparison.Ordinal);
        Assert.Contains(created.GetProperty("key_prefix").GetString()!, row, StringComparison.Ordinal);
        Assert.Contains("active", row, StringComparison.Ordinal);
        Assert.Contains(ChartFormat.Usd(spend), row, StringComparison.Ordinal);
        Assert.Contains($"{ChartFormat.Usd(2.5m - spend)} left of $2.50", row, StringComparison.Ordinal);
        Assert.Contains("just now", row, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("tbody tr", new() { HasText = "console-bot" }).Locator("meter").CountAsync());
        await ConsoleBrowsing.AssertNoSecretAsync(page, secret, TestConfigs.MasterKey, TestConfigs.AliceKey, TestConfigs.BobKey);

        await page.ClickAsync("a:has-text('console-bot')");
        Assert.EndsWith($"/ui/keys/{id}", page.Url, StringComparison.Ordinal);
        await ConsoleBrowsing.AssertNoSecretAsync(page, secret, TestConfigs.MasterKey);
        // The creation page, opened again, is an empty form: the secret is gone.
        await ConsoleBrowsing.OpenAsync(page, "/ui/keys/new");
        await ConsoleBrowsing.AssertNoSecretAsync(page, secret);

        await ConsoleBrowsing.OpenAsync(page, $"/ui/keys/{id}");
        await page.CheckAsync("input[name=confirm]");
        await page.ClickAsync("button:has-text('Revoke key')");
        Assert.Contains("Revoked.", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        Assert.Equal("revoked", await page.InnerTextAsync(".facts .badge"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await ChatAsync(gateway, secret, "chat")).Status);
        await ConsoleBrowsing.OpenAsync(page, "/ui/keys?status=revoked");
        Assert.Contains("revoked", await RowTextAsync(page, "console-bot"), StringComparison.Ordinal);
        await ConsoleBrowsing.OpenAsync(page, "/ui/keys?status=active");
        Assert.Equal(0, await page.Locator("tbody tr", new() { HasText = "console-bot" }).CountAsync());
        Assert.Equal(1, await page.Locator("tbody tr", new() { HasText = "alice" }).CountAsync());
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Editing_a_keys_models_in_the_console_refuses_a_model_no_longer_allowed_at_the_next_request()
    {
        await using var session = await OpenAsync();
        var (gateway, page) = (session.Gateway, session.Page);
        await SubmitNewKeyAsync(page, "editable");
        var secret = (await page.InnerTextAsync("#secret")).Trim();
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, secret, "other")).Status);

        await page.ClickAsync("a:has-text('show the key')");
        await page.CheckAsync("input[name=models][value='chat']");
        await page.FillAsync("#f-rpm", "30");
        await page.ClickAsync("button:has-text('Save changes')");

        Assert.Contains("Saved.", await page.InnerTextAsync("[role=status]"), StringComparison.Ordinal);
        var facts = await page.InnerTextAsync(".facts");
        Assert.Contains("30 rpm", facts, StringComparison.Ordinal);
        var (status, body) = await ChatAsync(gateway, secret, "other");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("model_not_found", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(gateway, secret, "chat")).Status);
        await ConsoleBrowsing.AssertNoSecretAsync(page, secret);
    }

    [Fact]
    public async Task A_bad_budget_is_shown_beside_its_field_and_no_key_is_created()
    {
        await using var session = await OpenAsync();
        var page = session.Page;
        await SubmitNewKeyAsync(page, "overspender", budget: "-5");

        Assert.Equal("New key", await page.InnerTextAsync("h1"));
        var field = page.Locator(".field.invalid", new() { Has = page.Locator("#f-budget_usd") });
        Assert.Contains("Enter an amount in USD", await field.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("true", await page.GetAttributeAsync("#f-budget_usd", "aria-invalid"));
        Assert.Equal("overspender", await page.InputValueAsync("#f-name")); // what was typed is kept
        Assert.Equal(1, await page.Locator(".field.invalid").CountAsync());
        Assert.DoesNotContain(await AdminKeysAsync(session.Gateway), k => k.GetProperty("name").GetString() == "overspender");
    }

    [Fact]
    public async Task The_same_new_key_form_sent_twice_creates_one_key_and_a_corrected_form_still_goes_through()
    {
        await using var session = await OpenAsync();
        var (gateway, context, page) = (session.Gateway, session.Context, session.Page);
        // A bad value first: nothing is created, and the re-rendered form can be corrected and sent.
        await SubmitNewKeyAsync(page, "twice", budget: "-5");
        await page.FillAsync("#f-budget_usd", "3");
        // What a refresh of the answer (or a double click) sends: the same form twice, tokens and all.
        var form = context.APIRequest.CreateFormData();
        foreach (var input in await page.Locator("form.key-form input[type=hidden], form.key-form input[type=text]").AllAsync())
        {
            if (await input.GetAttributeAsync("name") is { } name) form.Set(name, await input.InputValueAsync());
        }
        form.Set("_handler", "create-key");

        var first = await context.APIRequest.PostAsync("/ui/keys/new", new APIRequestContextOptions { Form = form });
        var second = await context.APIRequest.PostAsync("/ui/keys/new", new APIRequestContextOptions { Form = form });

        var firstPage = await first.TextAsync();
        var secondPage = await second.TextAsync();
        Assert.Contains("Key created", firstPage, StringComparison.Ordinal);
        Assert.Equal(200, second.Status);
        Assert.Contains("Key already created", secondPage, StringComparison.Ordinal);
        var key = Assert.Single(await AdminKeysAsync(gateway), k => k.GetProperty("name").GetString() == "twice");
        Assert.Contains($"/ui/keys/{key.GetProperty("id").GetString()}", secondPage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"secret\"", secondPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_form_posted_without_the_antiforgery_token_is_refused()
    {
        await using var session = await OpenAsync();
        var (gateway, context, page) = (session.Gateway, session.Context, session.Page);
        await ConsoleBrowsing.OpenAsync(page, "/ui/keys/new");

        // The signed-in browser's cookies, the form's handler name, but no antiforgery token in the form.
        var forged = await context.APIRequest.PostAsync("/ui/keys/new", new APIRequestContextOptions
        {
            Form = context.APIRequest.CreateFormData().Set("_handler", "create-key").Set("name", "forged"),
        });

        Assert.Equal(400, forged.Status);
        Assert.DoesNotContain(await AdminKeysAsync(gateway), k => k.GetProperty("name").GetString() == "forged");
    }

    [Fact]
    public async Task Config_file_keys_are_read_only_and_the_keys_pages_fit_a_phone()
    {
        await using var session = await OpenAsync(width: 390);
        var (gateway, page) = (session.Gateway, session.Page);
        var bob = Assert.Single(await AdminKeysAsync(gateway), k => k.GetProperty("name").GetString() == "bob");

        await ConsoleBrowsing.OpenAsync(page, "/ui/keys");
        await AssertNoHorizontalOverflowAsync(page);
        var row = await RowTextAsync(page, "bob");
        Assert.Contains("config", row, StringComparison.Ordinal);
        Assert.Contains("chat", row, StringComparison.Ordinal);

        await ConsoleBrowsing.OpenAsync(page, $"/ui/keys/{bob.GetProperty("id").GetString()}");
        await AssertNoHorizontalOverflowAsync(page);
        Assert.Contains("defined in the config file", await page.InnerTextAsync("[role=note]"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#f-name").CountAsync());
        Assert.Equal(1, await page.Locator("button:has-text('Revoke key')").CountAsync());

        await ConsoleBrowsing.OpenAsync(page, "/ui/keys/new");
        await AssertNoHorizontalOverflowAsync(page);
        await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.AliceKey, TestConfigs.BobKey, TestConfigs.MasterKey);
    }

    /// <summary>
    /// An unknown key or team id is a 404 page of the console, not the API's JSON 404: a page that set 404 while it
    /// rendered was sent with no body, which the gateway then answered as an unknown API path.
    /// </summary>
    [Fact]
    public async Task An_unknown_key_or_team_is_a_404_page_of_the_console()
    {
        await using var session = await OpenAsync();
        var page = session.Page;

        foreach (var (path, message) in new[] { ("/ui/keys/key_nope", "No key with the id"), ("/ui/teams/nope", "No team named") })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(404, response!.Status);
            Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
            Assert.Contains(message, await page.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);
        }
    }
}
