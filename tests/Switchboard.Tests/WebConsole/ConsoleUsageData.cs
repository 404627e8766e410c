using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Switchboard.Storage.Usage;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// Usage made through the gateway for the console's usage pages: alice and carol (team research) ask the priced model
/// "chat" and the unpriced "other", bob asks a model he may not use (a failed request); the ledger is then flushed.
/// Expected numbers are read back from <c>/admin/usage</c>, never written into a test.
/// </summary>
public sealed class ConsoleUsageData(GatewayInstance gateway, HttpClient admin, JsonElement carol) : IAsyncDisposable
{
    public const string CarolName = "carol";
    public const string CarolTeam = "research";

    public GatewayInstance Gateway => gateway;
    public HttpClient Admin => admin;

    /// <summary>The id and the secret of carol's key, created through the admin API with a team.</summary>
    public string CarolId => carol.GetProperty("id").GetString()!;
    public string CarolKey => carol.GetProperty("key").GetString()!;

    /// <summary>Every secret the gateway knows: none may appear in a page.</summary>
    public string[] Secrets => [TestConfigs.MasterKey, TestConfigs.AliceKey, TestConfigs.BobKey, CarolKey, MockUpstreamFixture.ProviderKey];

    public static async Task<ConsoleUsageData> StartAsync(MockUpstreamFixture mock)
    {
        var gateway = await GatewayInstance.StartAsync(TestConfigs.WithKeys(mock.BaseUrl));
        var admin = gateway.Client(TestConfigs.MasterKey);
        var data = new ConsoleUsageData(gateway, admin, await CreateKeyAsync(admin, $$"""{"name":"{{CarolName}}","team":"{{CarolTeam}}"}"""));
        foreach (var (key, model) in new[] { (TestConfigs.AliceKey, "chat"), (TestConfigs.AliceKey, "chat"), (TestConfigs.AliceKey, "other"),
                     (data.CarolKey, "chat"), (data.CarolKey, "other"), (data.CarolKey, "other") })
        {
            Assert.Equal(HttpStatusCode.OK, (await data.ChatAsync(key, model)).StatusCode);
        }
        Assert.NotEqual(HttpStatusCode.OK, (await data.ChatAsync(TestConfigs.BobKey, "other")).StatusCode);
        await data.FlushAsync(7);
        return data;
    }

    public static async Task<JsonElement> CreateKeyAsync(HttpClient admin, string json)
    {
        var response = await admin.PostAsync("/admin/keys", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public async Task<HttpResponseMessage> ChatAsync(string key, string model)
    {
        using var client = Gateway.Client(key);
        return await client.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"How many tokens is this question?"}]}""", Encoding.UTF8, "application/json"));
    }

    /// <summary>Waits until the ledger writer has taken <paramref name="accepted"/> rows in all, then writes them.</summary>
    public async Task FlushAsync(long accepted)
    {
        var ledger = Gateway.Services.GetRequiredService<LedgerWriter>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ledger.Accepted < accepted && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(ledger.Accepted >= accepted, $"the ledger took {ledger.Accepted} rows, expected {accepted}");
        Assert.True(await ledger.FlushAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>Copies of the newest recorded requests, moved back by <paramref name="age"/> (usage of an earlier period).</summary>
    public async Task RecordEarlierAsync(TimeSpan age, int count)
    {
        var ledger = Gateway.Services.GetRequiredService<LedgerWriter>();
        var before = ledger.Accepted;
        foreach (var row in Gateway.Recorded().Take(count))
        {
            ledger.Record(row with { RequestId = "earlier-" + Guid.NewGuid().ToString("N"), Timestamp = row.Timestamp - age });
        }
        await FlushAsync(before + count);
    }

    /// <summary><c>/admin/usage</c> over [from, to) with more query parameters (e.g. <c>group_by=key</c>).</summary>
    public async Task<JsonElement> UsageAsync(DateTimeOffset from, DateTimeOffset to, string extra = "")
    {
        var url = $"/admin/usage?from={Iso(from)}&to={Iso(to)}{(extra.Length == 0 ? "" : "&" + extra)}";
        return JsonDocument.Parse(await Admin.GetStringAsync(url)).RootElement;
    }

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

    /// <summary>Fails when the page is wider than its window (a phone must not scroll sideways).</summary>
    public static async Task AssertNoHorizontalOverflowAsync(IPage page)
    {
        var (scroll, inner) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
        Assert.True(scroll <= inner, $"{page.Url} is {scroll} px wide in a {inner} px window");
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Gateway.DisposeAsync();
    }
}
