using Microsoft.Playwright;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// Signing in to the console in a real browser: the master key opens the operator's console, a virtual key its
/// holder's page; the key becomes an HttpOnly, SameSite=Strict session cookie and appears in no page, URL or log;
/// sessions end on sign-out and when their key is revoked; forms need the antiforgery token; guessing is throttled.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class SignInTests(ChromiumFixture chromium, MockUpstreamFixture mock)
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_master_key_opens_the_operator_console_and_sign_out_ends_it()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        await using var context = await chromium.NewContextAsync(gateway.BaseUrl);

        var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);

        Assert.EndsWith("/ui", page.Url, StringComparison.Ordinal);
        Assert.Equal("Overview", await page.InnerTextAsync("h1"));
        Assert.True(await page.IsVisibleAsync("nav a[href='/ui/keys']"));
        await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.MasterKey);
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "sb_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/ui", cookie.Path);
        Assert.DoesNotContain(TestConfigs.MasterKey, cookie.Value, StringComparison.Ordinal);

        await page.ClickAsync("form[action='/ui/auth/sign-out'] button");
        Assert.Contains("/ui/sign-in", page.Url, StringComparison.Ordinal);
        await page.GotoAsync("/ui/keys");
        Assert.Contains("/ui/sign-in", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(TestConfigs.MasterKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_virtual_key_opens_only_its_holders_page_and_its_session_cannot_reach_the_admin_api()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        await using var context = await chromium.NewContextAsync(gateway.BaseUrl);

        var page = await ConsoleBrowsing.SignInAsync(context, TestConfigs.AliceKey);

        Assert.EndsWith("/ui/me", page.Url, StringComparison.Ordinal);
        Assert.False(await page.IsVisibleAsync("nav a[href='/ui/keys']"));
        await ConsoleBrowsing.AssertNoSecretAsync(page, TestConfigs.AliceKey, TestConfigs.MasterKey);
        foreach (var operatorPage in new[] { "/ui/keys", "/ui/usage", "/ui/logs", "/ui/teams", "/ui/deployments", "/ui/models" })
        {
            await page.GotoAsync(operatorPage);
            Assert.EndsWith("/ui/me", page.Url, StringComparison.Ordinal);
        }
        // The browser's session (cookies included) against the admin API: refused.
        var admin = await context.APIRequest.GetAsync("/admin/keys");
        Assert.Equal(401, admin.Status);
        var adminUnderUi = await context.APIRequest.GetAsync("/admin/usage");
        Assert.Equal(401, adminUnderUi.Status);
    }

    [Fact]
    public async Task A_revoked_key_ends_its_holders_session_at_the_next_page()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        using var admin = gateway.Client(TestConfigs.MasterKey);
        var created = JsonDocument.Parse(await (await admin.PostAsync("/admin/keys", Json("""{"name":"temp"}"""))).Content.ReadAsStringAsync()).RootElement;
        await using var context = await chromium.NewContextAsync(gateway.BaseUrl);
        var page = await ConsoleBrowsing.SignInAsync(context, created.GetProperty("key").GetString()!);
        Assert.EndsWith("/ui/me", page.Url, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/admin/keys/{created.GetProperty("id").GetString()}")).StatusCode);
        await page.GotoAsync("/ui/me");

        Assert.Contains("/ui/sign-in", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_repeated_failures_lock_the_address_out_even_for_the_right_key()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        await using var context = await chromium.NewContextAsync(gateway.BaseUrl);

        var page = await ConsoleBrowsing.SignInAsync(context, "sk-not-a-key-at-all");
        Assert.Contains("/ui/sign-in", page.Url, StringComparison.Ordinal);
        Assert.Contains("not accepted", await page.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);
        await ConsoleBrowsing.AssertNoSecretAsync(page, "sk-not-a-key-at-all");

        for (var i = 1; i < Switchboard.WebConsole.Auth.SignInThrottle.FailuresAllowed; i++) await (await ConsoleBrowsing.SignInAsync(context, $"wrong-{i}")).CloseAsync();
        var locked = await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey);

        Assert.Contains("/ui/sign-in", locked.Url, StringComparison.Ordinal);
        Assert.Contains("Too many failed sign-ins", await locked.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "sb_console");
    }

    [Fact]
    public async Task Forms_without_the_antiforgery_token_are_refused()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        using var client = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) };

        var response = await client.PostAsync("/ui/auth/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = TestConfigs.MasterKey }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("sb_console=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_console_runs_behind_the_gateways_own_middleware_not_in_front_of_every_route()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(gateway.BaseUrl) };

        // The sign-in redirect carries the gateway's request id: the console's cookie check runs after the gateway's own
        // middleware, only for /ui (the framework would otherwise put it in front of every request).
        var redirect = await client.GetAsync("/ui/keys");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.True(redirect.Headers.Contains("x-request-id"));
    }

    [Fact]
    public async Task Pages_without_a_session_send_the_browser_to_sign_in_and_back_afterwards()
    {
        await using var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        await using var context = await chromium.NewContextAsync(gateway.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/ui/usage");
        Assert.Contains("/ui/sign-in", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#key", TestConfigs.MasterKey);
        await page.ClickAsync("form[action='/ui/auth/sign-in'] button[type=submit]");

        Assert.EndsWith("/ui/usage", page.Url, StringComparison.Ordinal);
    }
}
