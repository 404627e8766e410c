using Xunit.Abstractions;

namespace Switchboard.Tests.EndToEnd;

/// <summary>A gateway whose PostgreSQL is stopped mid-traffic and started again (a private cluster of this test's own).</summary>
public sealed class DatabaseOutageTests(MockUpstreamFixture mock, ITestOutputHelper output) : IClassFixture<MockUpstreamFixture>
{
    [PostgresFact]
    public async Task Traffic_continues_through_a_postgres_outage_and_no_ledger_row_is_lost()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        var yaml = TestConfigs.WithKeys(mock.BaseUrl) + $"\ndatabase: \"{pg.Url}\"\n";
        await using var gateway = await GatewayInstance.StartAsync(yaml);
        using var admin = gateway.Client(TestConfigs.MasterKey);
        var created = JsonDocument.Parse(await (await admin.PostAsync("/admin/keys",
            new StringContent("""{"name":"through-outage"}""", System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()).RootElement;
        var apiKey = created.GetProperty("key").GetString()!;

        var sent = 0;
        async Task SendAsync(int n)
        {
            for (var i = 0; i < n; i++)
            {
                // Alternate a config key and a database key: both must keep working from the cache.
                using var client = gateway.Client(i % 2 == 0 ? TestConfigs.AliceKey : apiKey);
                var response = await client.PostAsync("/v1/chat/completions",
                    new StringContent("""{"model":"chat","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                sent++;
            }
        }

        await SendAsync(20);
        await pg.StopServerAsync();
        await SendAsync(40);
        using var probe = gateway.Client();
        var ready = await probe.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"degraded\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await pg.StartServerAsync();
        await SendAsync(20);

        long stored = 0;
        for (var attempt = 0; attempt < 100 && stored < sent; attempt++)
        {
            var usage = await admin.GetAsync("/admin/usage");
            if (usage.StatusCode == HttpStatusCode.OK)
            {
                stored = JsonDocument.Parse(await usage.Content.ReadAsStringAsync()).RootElement.GetProperty("requests").GetInt64();
            }
            if (stored < sent) await Task.Delay(200);
        }
        output.WriteLine($"requests sent {sent}, ledger rows stored {stored}, lost {sent - stored}");
        Assert.Equal(sent, stored);
        // Readiness comes back once the key cache's poller reconnects (it retries every 250 ms).
        var readyAgain = "";
        for (var attempt = 0; attempt < 50 && !readyAgain.Contains("\"ready\"", StringComparison.Ordinal); attempt++)
        {
            if (attempt > 0) await Task.Delay(100);
            readyAgain = await (await probe.GetAsync("/health/ready")).Content.ReadAsStringAsync();
        }
        Assert.Contains("\"ready\"", readyAgain, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_limited_key_is_served_through_a_postgres_outage_from_its_lease_then_its_local_counters()
    {
        await using var pg = await PrivatePostgres.StartAsync();
        const string key = "sb-outage-limited-0001";
        var yaml = $$"""
            master_key: {{TestConfigs.MasterKey}}
            database: "{{pg.Url}}"
            providers:
              mock: { type: openai, base_url: "{{mock.BaseUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
            models:
              chat:
                - { provider: mock, model: gpt-4o-mini, input_per_mtok: 1, output_per_mtok: 1 }
            keys:
              - { key: {{key}}, name: limited, rpm: 1000, tpm: 1000000, max_parallel: 20, budget_usd: 100 }
            """;
        await using var gateway = await GatewayInstance.StartAsync(yaml);
        using var client = gateway.Client(key);
        async Task<int> SendAsync(int n)
        {
            var ok = 0;
            for (var i = 0; i < n; i++)
            {
                var response = await client.PostAsync("/v1/chat/completions",
                    new StringContent("""{"model":"chat","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));
                if (response.StatusCode == HttpStatusCode.OK) ok++;
            }
            return ok;
        }

        Assert.Equal(10, await SendAsync(10)); // takes slices
        await pg.StopServerAsync();
        Assert.Equal(40, await SendAsync(40)); // the slices, then (once they run out) this process's own counters
        await pg.StartServerAsync();
        Assert.Equal(10, await SendAsync(10));
    }
}
