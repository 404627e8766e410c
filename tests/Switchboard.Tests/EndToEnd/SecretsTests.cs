namespace Switchboard.Tests.EndToEnd;

/// <summary>CONTRACT §6: no secret in a log line, an error, or admin output, after a mix of good and bad traffic.</summary>
public sealed class SecretsTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => $$"""
          badkey: { type: openai, base_url: "{{Mock.BaseUrl}}/v1", api_key: "sk-proj-leakable-provider-key-9876" }
        """;

    protected override string ExtraModels => """
          badkey-model: [{ provider: badkey, model: gpt-4o-mini }]
        """;

    [Fact]
    public async Task No_secret_appears_in_logs_errors_or_admin_output()
    {
        var outputs = new List<string>();
        foreach (var key in new[] { TestConfigs.AliceKey, TestConfigs.BobKey, "sb-guess-0000", TestConfigs.MasterKey })
        {
            using var http = Gateway.Client(key);
            foreach (var model in new[] { "chat", "badkey-model", "nope" })
            {
                var r = await http.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}"""));
                outputs.Add(await r.Content.ReadAsStringAsync());
                outputs.Add(string.Join("\n", r.Headers.Select(h => h.Key + ": " + string.Join(",", h.Value))));
            }
            outputs.Add(await (await http.GetAsync("/v1/models")).Content.ReadAsStringAsync());
        }
        using (var admin = Gateway.Client(TestConfigs.MasterKey))
        {
            var logs = await admin.GetStringAsync("/admin/logs?limit=1000");
            outputs.Add(logs);
            Assert.True(JsonDocument.Parse(logs).RootElement.GetProperty("data").GetArrayLength() >= 12);
        }

        string[] secrets = [TestConfigs.AliceKey, TestConfigs.BobKey, TestConfigs.MasterKey, "sb-guess-0000",
            MockUpstreamFixture.ProviderKey, "sk-proj-leakable-provider-key-9876", "*9876"];
        var everything = string.Join("\n", outputs.Concat(Gateway.Logs.Lines));
        foreach (var secret in secrets) Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.Contains("alice", everything, StringComparison.Ordinal); // the key's name is what identifies it
    }
}
