namespace Switchboard.Tests.Responses;

/// <summary>Rate limits and budgets apply to <c>/v1/responses</c> as to chat; the token reservation is made from
/// <c>max_output_tokens</c>.</summary>
public sealed class ResponsesLimitsTests(MockUpstreamFixture mock) : IClassFixture<MockUpstreamFixture>, IAsyncLifetime
{
    private const string RpmKey = "sb-resp-rpm-0001";
    private const string TpmKey = "sb-resp-tpm-0002";
    private const string BudgetKey = "sb-resp-budget-0003";
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync() => _gateway = await GatewayInstance.StartAsync($$"""
        master_key: {{TestConfigs.MasterKey}}
        providers:
          mock: { type: openai, base_url: "{{mock.BaseUrl}}/v1", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
          anthropic: { type: anthropic, base_url: "{{mock.BaseUrl}}", api_key: "{{MockUpstreamFixture.ProviderKey}}" }
        models:
          dear: [{ provider: anthropic, model: claude-sonnet-4-5, input_per_mtok: 1000, output_per_mtok: 1000 }]
        keys:
          - { key: {{RpmKey}}, name: rpm-key, rpm: 2 }
          - { key: {{TpmKey}}, name: tpm-key, tpm: 100000 }
          - { key: {{BudgetKey}}, name: budget-key, budget_usd: 0.025 }
        """);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private async Task<ResponsesAnswer> PostAsync(string key, int maxOutputTokens = 64)
    {
        using var http = _gateway.Client(key);
        return await ResponsesClient.PostAsync(http, $$"""{"model":"dear","input":"limit me","max_output_tokens":{{maxOutputTokens}}}""");
    }

    private async Task SettledAsync(string keyName, int count)
    {
        for (var i = 0; i < 200 && _gateway.Recorded().Count(r => r.KeyName == keyName) < count; i++) await Task.Delay(20);
    }

    [Fact]
    public async Task Requests_per_minute_refuse_the_third_request()
    {
        Assert.Equal(200, (await PostAsync(RpmKey)).Status);
        Assert.Equal(200, (await PostAsync(RpmKey)).Status);
        var refused = await PostAsync(RpmKey);

        Assert.Equal(429, refused.Status);
        Assert.Equal("rate_limit_exceeded", refused.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.NotNull(refused.Header("Retry-After"));
    }

    [Fact]
    public async Task The_token_reservation_is_the_prompt_estimate_plus_max_output_tokens()
    {
        var first = await PostAsync(TpmKey, maxOutputTokens: 100);
        Assert.Equal(200, first.Status);
        var estimate = 100000 - 100 - int.Parse(first.Header("x-ratelimit-remaining-tokens")!);
        Assert.True(estimate > 0, $"prompt estimate {estimate}");
        var used = first.Json.GetProperty("usage").GetProperty("total_tokens").GetInt32();
        await SettledAsync("tpm-key", 1);

        // (Both below the expected output the default policy caps a reservation at.)
        var second = await PostAsync(TpmKey, maxOutputTokens: 600);
        Assert.Equal(200, second.Status);
        // The first counts what it used; the second reserves the same estimate plus its own max_output_tokens.
        Assert.Equal(100000 - used - estimate - 600, int.Parse(second.Header("x-ratelimit-remaining-tokens")!));
    }

    [Fact]
    public async Task A_spent_budget_refuses_the_next_request()
    {
        // $1000 per million tokens, a tenth of a cent a token: the first reservation (prompt + 16) fits in $0.025,
        // a second one beside what the first spent does not.
        Assert.Equal(200, (await PostAsync(BudgetKey, maxOutputTokens: 16)).Status);
        await SettledAsync("budget-key", 1);
        var refused = await PostAsync(BudgetKey, maxOutputTokens: 16);

        Assert.Equal(429, refused.Status);
        Assert.Equal("insufficient_quota", refused.Json.GetProperty("error").GetProperty("code").GetString());
    }
}
