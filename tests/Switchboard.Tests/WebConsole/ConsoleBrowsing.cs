using Microsoft.Playwright;

namespace Switchboard.Tests.WebConsole;

/// <summary>What every console test does in the browser: sign in, open a page, check it carries no secret.</summary>
public static class ConsoleBrowsing
{
    /// <summary>Signs in through the sign-in form; returns the page, left where the sign-in redirected.</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext context, string key)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui/sign-in");
        await page.FillAsync("#key", key);
        // Waits for the navigation the click starts (the POST and its redirect), not for a load state the old page
        // may still report. Marked obsolete in favour of WaitForURL, which needs the target URL in advance: a
        // refused sign-in lands on the sign-in page again.
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(() => page.ClickAsync("form[action='/ui/auth/sign-in'] button[type=submit]"),
            new PageRunAndWaitForNavigationOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
#pragma warning restore CS0612
        return page;
    }

    /// <summary>Opens <paramref name="path"/>; fails unless it answers 200 with HTML.</summary>
    public static async Task<IResponse> OpenAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        Assert.NotNull(response);
        Assert.True(response.Status == 200, $"{path} answered {response.Status}");
        return response;
    }

    /// <summary>Fails when the page's HTML (or its URL) contains any of <paramref name="secrets"/>.</summary>
    public static async Task AssertNoSecretAsync(IPage page, params string[] secrets)
    {
        var html = await page.ContentAsync();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, page.Url, StringComparison.Ordinal);
        }
    }
}
