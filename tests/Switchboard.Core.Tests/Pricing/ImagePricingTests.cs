using System.Collections.Frozen;
using Switchboard.Config;
using Switchboard.Pricing;
using Switchboard.Providers.OpenAI.Images;
using Switchboard.Usage;

namespace Switchboard.Core.Tests.Pricing;

/// <summary>Per-image prices by size and quality, and token prices for images (gpt-image's usage).</summary>
public sealed class ImagePricingTests
{
    private static DeploymentConfig Deployment(Dictionary<string, decimal>? prices, decimal? imageInput = null) => new()
    {
        Provider = "p",
        Model = "m",
        ImagePrices = prices?.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
        ImageInputPerMTok = imageInput,
    };

    [Theory]
    [InlineData("1024x1024", "hd", 0.08)]
    [InlineData("1024x1024", "standard", 0.04)]
    [InlineData("1792x1024", "hd", 0.12)]
    [InlineData("512x512", "hd", 0.09)]
    [InlineData("512x512", "standard", 0.01)]
    [InlineData(null, null, 0.01)]
    public void The_most_specific_image_price_wins(string? size, string? quality, double expected)
    {
        var deployment = Deployment(new() { ["1024x1024/hd"] = 0.08m, ["1024x1024"] = 0.04m, ["1792x1024"] = 0.12m, ["*/hd"] = 0.09m, ["default"] = 0.01m });

        Assert.Equal((decimal)expected, ImagePricing.PerImage(deployment, size, quality));
        Assert.Equal((decimal)expected * 3, ImagePricing.Cost(deployment, new ImageUsage(3, size, quality), default, null, usageReported: false));
    }

    [Fact]
    public void Without_a_matching_image_price_reported_tokens_are_priced_image_input_at_its_own_rate()
    {
        var deployment = Deployment(new() { ["1024x1024"] = 0.04m }, imageInput: 10m);
        var usage = new TokenUsage(1000, 4000, 5000, 0, 0);

        var cost = ImagePricing.Cost(deployment, new ImageUsage(1, "1536x1024", "low", ImageInputTokens: 400), usage, new ModelPrice(5m, 40m), usageReported: true);

        Assert.Equal((600 * 5m + 400 * 10m + 4000 * 40m) / 1_000_000m, cost);
    }

    [Fact]
    public void Images_with_neither_price_are_unpriced_not_free()
    {
        Assert.Null(ImagePricing.Cost(Deployment(null), new ImageUsage(1, null, null), new TokenUsage(10, 10, 20, 0, 0), null, usageReported: true));
        Assert.Null(ImagePricing.Cost(Deployment(null), new ImageUsage(1, null, null), default, new ModelPrice(5m, 40m), usageReported: false));
    }

    [Fact]
    public void A_gpt_image_answer_is_read_for_its_images_size_quality_and_usage()
    {
        var json = """
            {"created":1,"data":[{"b64_json":"AAAA"},{"b64_json":"BBBB"}],"quality":"low","size":"1024x1536",
             "usage":{"input_tokens":50,"input_tokens_details":{"text_tokens":10,"image_tokens":40},"output_tokens":544,
                      "output_tokens_details":{"image_tokens":544,"text_tokens":0},"total_tokens":594}}
            """u8;

        var usage = OpenAIImageAnswerReader.Read(json, "auto", "auto", out var reported);

        Assert.True(reported);
        Assert.Equal((50, 544, 594), (usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens));
        Assert.Equal(new ImageUsage(2, "1024x1536", "low", 40), usage.Images);
    }

    [Fact]
    public void A_dall_e_answer_has_images_and_no_usage()
    {
        var usage = OpenAIImageAnswerReader.Read("""{"created":1,"data":[{"url":"https://x/1.png","revised_prompt":"p"}]}"""u8, "1024x1792", "hd", out var reported);

        Assert.False(reported);
        Assert.Equal(new ImageUsage(1, "1024x1792", "hd"), usage.Images);
    }
}
