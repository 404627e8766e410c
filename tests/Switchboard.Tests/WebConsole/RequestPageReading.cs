using System.Globalization;
using Microsoft.Playwright;

namespace Switchboard.Tests.WebConsole;

/// <summary>What the request log and key holder tests read off a page, and how they read the admin API's numbers.</summary>
public static class RequestPageReading
{
    /// <summary>The request ids of the request table's rows, top to bottom.</summary>
    public static async Task<List<string>> IdsAsync(IPage page) =>
        [.. await page.Locator("table.requests tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.requestId)")];

    /// <summary>The value beside a label on a page of facts (a request's page, a key's).</summary>
    public static async Task<string> FactAsync(IPage page, string label) =>
        (await page.Locator($"dt:text-is(\"{label}\") + dd").InnerTextAsync()).Trim();

    /// <summary>A whole number of an admin answer as the console writes it (1,234).</summary>
    public static string Count(JsonElement row, string name) => row.GetProperty(name).GetInt64().ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Signed in with <paramref name="key"/> on a phone-wide screen (390 px), each page fits: no sideways scrolling.</summary>
    public static async Task AssertFitOnAPhoneAsync(ConsoleTraffic traffic, ChromiumFixture chromium, string key, params string[] paths)
    {
        var page = await traffic.SignInAsync(chromium, key, width: 390);
        foreach (var path in paths)
        {
            await ConsoleBrowsing.OpenAsync(page, path);
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways");
        }
    }
}
