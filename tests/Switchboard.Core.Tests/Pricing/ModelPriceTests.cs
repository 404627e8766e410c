using Switchboard.Config;
using Switchboard.Pricing;
using Switchboard.Usage;

namespace Switchboard.Core.Tests.Pricing;

public class ModelPriceTests
{
    private static readonly PriceList List = PriceList.BuiltIn;

    [Fact]
    public void Cached_input_tokens_are_priced_at_the_cached_rate_and_not_also_at_the_input_rate()
    {
        var gpt4o = List.Find("gpt-4o")!; // 2.50 in, 1.25 cached, 10 out
        var usage = new TokenUsage(PromptTokens: 1000, CompletionTokens: 100, TotalTokens: 1100, CachedPromptTokens: 400, ReasoningTokens: 0);

        Assert.Equal((600 * 2.50m + 400 * 1.25m + 100 * 10m) / 1_000_000m, gpt4o.Cost(usage));
    }

    [Fact]
    public void Reasoning_tokens_are_output_tokens_priced_once()
    {
        var o3 = List.Find("o3-mini")!; // 1.10 in, 4.40 out
        // OpenAI's completion_tokens already includes reasoning_tokens (the canonical accounting keeps it that way).
        var usage = new TokenUsage(PromptTokens: 50, CompletionTokens: 500, TotalTokens: 550, CachedPromptTokens: 0, ReasoningTokens: 300);

        Assert.Equal((50 * 1.10m + 500 * 4.40m) / 1_000_000m, o3.Cost(usage));
    }

    [Fact]
    public void Anthropic_cache_reads_and_writes_each_have_their_rate()
    {
        var sonnet = List.Find("claude-sonnet-4-5")!; // 3 in, 0.30 read, 3.75 write, 15 out
        var usage = new TokenUsage(1000, 10, 1010, CachedPromptTokens: 300, ReasoningTokens: 0) { CacheWritePromptTokens = 500 };

        Assert.Equal((200 * 3m + 300 * 0.30m + 500 * 3.75m + 10 * 15m) / 1_000_000m, sonnet.Cost(usage));
    }

    [Fact]
    public void Anthropic_cache_write_tokens_reach_the_ledger_usage_from_the_canonical_usage()
    {
        // Anthropic input_tokens 200 + cache_read 300 + cache_creation 500 → canonical prompt 1000 (OpenAI accounting).
        var canonical = new Switchboard.Translation.Canonical.Usage { PromptTokens = 1000, CompletionTokens = 10, CachedPromptTokens = 300, CacheCreationPromptTokens = 500 };

        var usage = UsageConversion.ToTokenUsage(canonical);

        Assert.Equal(300, usage.CachedPromptTokens);
        Assert.Equal(500, usage.CacheWritePromptTokens);
        Assert.Equal(1010, usage.TotalTokens);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("models/gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("GPT-4o-mini", "gpt-4o-mini")]
    [InlineData("claude-3-5-haiku-latest", "claude-3-5-haiku")]
    [InlineData("openai/gpt-oss-120b", "openai/gpt-oss-120b")]
    public void Snapshots_prefixes_and_aliases_find_the_listed_price(string asked, string listed)
    {
        Assert.NotNull(List.Find(listed));
        Assert.Equal(List.Find(listed), List.Find(asked));
    }

    [Fact]
    public void The_built_in_list_covers_the_major_providers_and_says_when_it_was_taken()
    {
        foreach (var model in new[] { "gpt-4.1", "claude-haiku-4-5", "gemini-2.5-flash", "deepseek-chat", "mistral-large", "llama-3.3-70b-versatile" })
        {
            Assert.NotNull(List.Find(model));
        }
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", List.AsOf);
    }

    [Fact]
    public void Config_prices_override_the_list_and_a_config_input_price_without_a_cached_price_bills_cache_hits_at_it()
    {
        var overridden = DeploymentPricing.Resolve(new DeploymentConfig { Provider = "p", Model = "gpt-4o", InputPerMTok = 1m, OutputPerMTok = 2m }, List)!;
        Assert.Equal(new ModelPrice(1m, 2m), overridden);

        var withCached = DeploymentPricing.Resolve(new DeploymentConfig { Provider = "p", Model = "gpt-4o", OutputPerMTok = 20m, CachedInputPerMTok = 0.5m }, List)!;
        Assert.Equal(new ModelPrice(2.50m, 20m, 0.5m), withCached);
    }

    [Fact]
    public void A_model_with_no_price_is_unpriced_never_zero()
    {
        Assert.Null(DeploymentPricing.Resolve(new DeploymentConfig { Provider = "p", Model = "my-local-llama" }, List));
        // Half a price is no price: the output would be billed at $0.
        Assert.Null(DeploymentPricing.Resolve(new DeploymentConfig { Provider = "p", Model = "my-local-llama", InputPerMTok = 1m }, List));
        // An explicit zero is a price (a free local model).
        Assert.Equal(0m, DeploymentPricing.Resolve(new DeploymentConfig { Provider = "p", Model = "my-local-llama", InputPerMTok = 0m, OutputPerMTok = 0m }, List)!
            .Cost(new TokenUsage(10, 10, 20, 0, 0)));
    }

    [Fact]
    public void The_worst_case_bills_every_prompt_token_at_the_dearest_input_rate()
    {
        var sonnet = List.Find("claude-sonnet-4-5")!;

        Assert.Equal((1000 * 3.75m + 100 * 15m) / 1_000_000m, sonnet.WorstCase(1000, 100));
    }
}
