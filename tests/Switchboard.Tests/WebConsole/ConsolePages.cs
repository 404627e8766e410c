using Microsoft.Playwright;

namespace Switchboard.Tests.WebConsole;

/// <summary>What the keys, teams, deployments and models tests do in and around the browser.</summary>
public static class ConsolePages
{
    /// <summary>Fails when the page is wider than the window (a phone would have to scroll sideways).</summary>
    public static async Task AssertNoHorizontalOverflowAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, $"{page.Url} is wider than the {page.ViewportSize?.Width} px window");
    }

    /// <summary>The visible text of the table row containing <paramref name="text"/> (the first one).</summary>
    public static Task<string> RowTextAsync(IPage page, string text) =>
        page.Locator("tbody tr", new() { HasText = text }).First.InnerTextAsync();

    /// <summary>A chat completion for <paramref name="model"/> with <paramref name="key"/>; the HTTP status and body.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ChatAsync(GatewayInstance gateway, string key, string model)
    {
        using var client = gateway.Client(key);
        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hello there"}]}""", Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The admin API's view of every key (to check what the console did, from the outside).</summary>
    public static async Task<JsonElement[]> AdminKeysAsync(GatewayInstance gateway)
    {
        using var admin = gateway.Client(TestConfigs.MasterKey);
        return [.. JsonDocument.Parse(await admin.GetStringAsync("/admin/keys")).RootElement.GetProperty("data").EnumerateArray()];
    }

    public static async Task<JsonElement> AdminGetAsync(GatewayInstance gateway, string path)
    {
        using var admin = gateway.Client(TestConfigs.MasterKey);
        return JsonDocument.Parse(await admin.GetStringAsync(path)).RootElement;
    }

    /// <summary>Creates a key through the admin API; its id and secret.</summary>
    public static async Task<(string Id, string Secret)> AdminCreateKeyAsync(GatewayInstance gateway, string json)
    {
        using var admin = gateway.Client(TestConfigs.MasterKey);
        using var response = await admin.PostAsync("/admin/keys", new StringContent(json, Encoding.UTF8, "application/json"));
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }
}

/// <summary>A gateway and a browser signed in to its console as the operator; disposing ends both.</summary>
public sealed record OperatorSession(GatewayInstance Gateway, IBrowserContext Context, IPage Page) : IAsyncDisposable
{
    public static async Task<OperatorSession> StartAsync(ChromiumFixture chromium, string yaml, int width = 1366)
    {
        var gateway = await GatewayInstance.StartAsync(yaml);
        var context = await chromium.NewContextAsync(gateway.BaseUrl, width);
        return new OperatorSession(gateway, context, await ConsoleBrowsing.SignInAsync(context, TestConfigs.MasterKey));
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await Gateway.DisposeAsync();
    }
}
