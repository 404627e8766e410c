using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Switchboard.Storage.Usage;
using Switchboard.Usage;

namespace Switchboard.Tests.WebConsole;

/// <summary>
/// Every console page, for both kinds of session, on a gateway with a week of traffic: it answers 200, shows its
/// heading, fits a laptop and a phone without sideways scrolling, and carries no secret. With
/// <c>SWITCHBOARD_SCREENSHOTS=&lt;dir&gt;</c> set, each page is also saved there as a PNG (the README's pictures).
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class EveryPageTests(ChromiumFixture chromium, MockUpstreamFixture mock)
{
    private static readonly string[] OperatorPages = ["/ui", "/ui/keys", "/ui/teams", "/ui/usage", "/ui/logs", "/ui/deployments", "/ui/models"];
    private static readonly string[] HolderPages = ["/ui/me"];

    private string Yaml => TestConfigs.WithKeys(mock.BaseUrl) + """

        teams:
          research: { budget_usd: 200, budget_period: monthly }
          support: { rpm: 600 }
        """;

    [Fact]
    public async Task Every_page_renders_for_its_role_at_laptop_and_phone_width_without_a_secret()
    {
        await using var gateway = await GatewayInstance.StartAsync(Yaml);
        var secrets = await SeedAsync(gateway);
        var shots = Environment.GetEnvironmentVariable("SWITCHBOARD_SCREENSHOTS");

        foreach (var (key, pages, role) in new[] { (TestConfigs.MasterKey, OperatorPages, "operator"), (secrets[0], HolderPages, "holder") })
        {
            foreach (var width in new[] { 1366, 390 })
            {
                await using var context = await chromium.NewContextAsync(gateway.BaseUrl, width, width > 500 ? 900 : 844);
                var page = await ConsoleBrowsing.SignInAsync(context, key);
                foreach (var path in pages)
                {
                    await ConsoleBrowsing.OpenAsync(page, path);
                    Assert.False(string.IsNullOrWhiteSpace(await page.InnerTextAsync("h1")), $"{path}: no heading");
                    var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
                    Assert.False(overflow, $"{path} scrolls sideways at {width} px");
                    await ConsoleBrowsing.AssertNoSecretAsync(page, [TestConfigs.MasterKey, TestConfigs.AliceKey, TestConfigs.BobKey, .. secrets]);
                    if (!string.IsNullOrEmpty(shots))
                    {
                        Directory.CreateDirectory(shots);
                        var name = $"{role}-{(path == "/ui" ? "overview" : path[4..].Replace('/', '-'))}-{width}.png";
                        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, name), FullPage = width > 500 });
                    }
                }
            }
        }
    }

    /// <summary>
    /// Keys made through the admin API, a few real requests, and a week of ledger rows recorded as the gateway records
    /// them (over several models, providers and keys, with some errors). Returns the new keys' secrets.
    /// </summary>
    private static async Task<string[]> SeedAsync(GatewayInstance gateway)
    {
        using var admin = gateway.Client(TestConfigs.MasterKey);
        var made = new List<(string Id, string Name, string Secret, string? Team)>();
        foreach (var (name, team, budget) in new[] { ("web-app", "research", 50), ("batch-jobs", "research", 120), ("support-bot", "support", 0), ("ci", (string?)null, 5) })
        {
            var body = team is null ? $$"""{"name":"{{name}}","budget_usd":{{budget}}}""" : $$"""{"name":"{{name}}","team":"{{team}}"{{(budget > 0 ? $",\"budget_usd\":{budget}" : "")}}}""";
            var created = JsonDocument.Parse(await (await admin.PostAsync("/admin/keys", new StringContent(body, Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()).RootElement;
            made.Add((created.GetProperty("id").GetString()!, name, created.GetProperty("key").GetString()!, team));
        }
        foreach (var (_, _, secret, _) in made)
        {
            using var client = gateway.Client(secret);
            await client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"chat","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        }

        var sink = gateway.Services.GetRequiredService<IUsageSink>();
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        (string Model, string Provider, string Upstream, double In, double Out)[] models =
            [("chat", "mock", "gpt-4o-mini", 0.15, 0.6), ("other", "mock", "gpt-4o", 2.5, 10), ("azure-chat", "azure", "gpt-4o-mini", 0.15, 0.6)];
        for (var i = 0; i < 1500; i++)
        {
            var key = made[random.Next(made.Count)];
            var model = models[random.Next(models.Length)];
            var prompt = random.Next(200, 4000);
            var completion = random.Next(20, 800);
            var failed = random.NextDouble() < 0.04;
            sink.Record(new UsageRecord
            {
                RequestId = $"req_seed_{i:D5}",
                Timestamp = now.AddMinutes(-random.Next(0, 7 * 24 * 60)),
                KeyId = key.Id,
                KeyName = key.Name,
                Team = key.Team,
                Endpoint = "chat.completions",
                Model = model.Model,
                Provider = model.Provider,
                UpstreamModel = model.Upstream,
                Status = failed ? 502 : 200,
                ErrorCode = failed ? "upstream_error" : null,
                Stream = random.Next(2) == 0,
                Usage = failed ? default : new TokenUsage(prompt, completion, prompt + completion, prompt / 4, 0),
                LatencyMs = random.Next(300, 4000),
                TimeToFirstTokenMs = random.Next(150, 900),
                Attempts = failed ? 2 : 1,
                CostUsd = failed ? 0 : (decimal)((prompt * model.In + completion * model.Out) / 1_000_000),
            });
        }
        Assert.True(await gateway.Services.GetRequiredService<LedgerWriter>().FlushAsync(TimeSpan.FromSeconds(20)));
        return [.. made.Select(k => k.Secret)];
    }
}
