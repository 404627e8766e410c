using Switchboard.Fuzz;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// The hostile-request fuzzer (tools/Switchboard.Fuzz) against a real gateway on SQLite with the strict mock behind
/// it (OpenAI, Anthropic and Gemini upstreams, so translated paths are fuzzed too): 10,000 seeded cases over every
/// endpoint; any 5xx, missing x-request-id or error outside its path's dialect fails the test, with the cases to
/// replay (<c>--seed 1 --case N</c>) in the message.
/// </summary>
public sealed class FuzzTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => AnthropicAndGeminiProviders;

    protected override string ExtraModels => ClaudeAndGeminiModels + "\n  gpt-4o: [{ provider: mock, model: gpt-4o }]";

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_no_5xx_and_every_error_in_its_paths_dialect()
    {
        var report = await FuzzAsync(Gateway, seed: 1, requests: 10_000);
        Assert.True(report.Failures.IsEmpty, report.Summary());
        Assert.Equal(10_000, report.Sent);
        Assert.Equal(10_000, report.ByStatus.Values.Sum());
    }

    /// <summary>Runs the fuzzer against <paramref name="gateway"/> as Alice (the master key for the admin endpoints).</summary>
    internal static Task<FuzzReport> FuzzAsync(GatewayInstance gateway, int seed, int requests) => FuzzRunner.RunAsync(new FuzzOptions
    {
        Url = new Uri(gateway.BaseUrl),
        Key = TestConfigs.AliceKey,
        MasterKey = TestConfigs.MasterKey,
        Seed = seed,
        Requests = requests,
    });
}
