using Switchboard.Config;
using Switchboard.Usage;

namespace Switchboard.Pricing;

/// <summary>
/// What generated images cost on a deployment. With <c>image_prices</c> (USD per image, by size and quality) every
/// image is billed at the most specific matching price: <c>SIZE/QUALITY</c>, then <c>SIZE</c>, then <c>*/QUALITY</c>,
/// then <c>default</c>. Without one that matches, the tokens the upstream reported are billed at the deployment's token
/// prices (gpt-image), image input tokens at <c>image_input_per_mtok</c> when set. Neither: unpriced (null), never $0.
/// </summary>
public static class ImagePricing
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>True when the deployment prices images per image.</summary>
    public static bool HasImagePrices(DeploymentConfig deployment) => deployment.ImagePrices is { Count: > 0 };

    /// <summary>The cost of <paramref name="images"/> with <paramref name="usage"/> on a deployment; null = unpriced.</summary>
    public static decimal? Cost(DeploymentConfig deployment, ImageUsage images, in TokenUsage usage, ModelPrice? tokenPrice, bool usageReported)
    {
        if (PerImage(deployment, images.Size, images.Quality) is { } each) return each * images.Count;
        if (tokenPrice is null || !usageReported) return null;
        var imageInput = Math.Clamp(images.ImageInputTokens, 0, Math.Max(0, usage.PromptTokens));
        var imageRate = deployment.ImageInputPerMTok ?? tokenPrice.InputPerMTok;
        return ((usage.PromptTokens - imageInput) * tokenPrice.InputPerMTok + imageInput * imageRate
            + Math.Max(0, usage.CompletionTokens) * tokenPrice.OutputPerMTok) / PerMillion;
    }

    /// <summary>The configured price of one image of that size and quality (null parts: the upstream's default).</summary>
    public static decimal? PerImage(DeploymentConfig deployment, string? size, string? quality)
    {
        if (deployment.ImagePrices is not { Count: > 0 } prices) return null;
        size ??= "auto";
        if (quality is not null && prices.TryGetValue($"{size}/{quality}", out var price)) return price;
        if (prices.TryGetValue(size, out price)) return price;
        if (quality is not null && prices.TryGetValue($"*/{quality}", out price)) return price;
        return prices.TryGetValue("default", out price) ? price : null;
    }
}
