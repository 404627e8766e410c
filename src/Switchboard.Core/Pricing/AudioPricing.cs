using System.Collections.Frozen;
using Switchboard.Config;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Pricing;

/// <summary>
/// Prices of the audio and moderation operations (<see cref="MeteringKind"/>): speech by input characters, transcription
/// and translation by seconds of audio, plus tokens at the deployment's token prices where the upstream reports tokens
/// (gpt-4o-transcribe, gpt-4o-mini-tts); moderations free unless the deployment has token prices. A deployment's
/// <c>input_per_mchar</c> and <c>per_second</c> override the built-in rates below.
/// </summary>
public static class AudioPricing
{
    /// <summary>
    /// OpenAI's list prices for the models billed by characters or seconds (platform.openai.com/docs/pricing, checked
    /// with prices.json): tts-1 $15 and tts-1-hd $30 per million characters; whisper-1 $0.006 per minute.
    /// </summary>
    private static readonly FrozenDictionary<string, AudioPrice> BuiltIn = new Dictionary<string, AudioPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["tts-1"] = new(15m, null),
        ["tts-1-hd"] = new(30m, null),
        ["whisper-1"] = new(null, 0.0001m),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>USD per million input characters and per second of audio; null: not priced that way.</summary>
    public readonly record struct AudioPrice(decimal? InputPerMChar, decimal? PerSecond)
    {
        public bool IsPriced => InputPerMChar is not null || PerSecond is not null;
    }

    /// <summary>A deployment's audio rates: its config's, field by field, else the built-in list's.</summary>
    public static AudioPrice For(DeploymentConfig config)
    {
        BuiltIn.TryGetValue(config.Model, out var listed);
        return new AudioPrice(config.InputPerMChar ?? listed.InputPerMChar, config.PerSecond ?? listed.PerSecond);
    }

    /// <summary>
    /// The cost of an answer metered by <paramref name="units"/>: characters and seconds at the audio rates, tokens at
    /// <paramref name="tokenPrice"/>. Null (unpriced, never a silent $0) when nothing the answer used has a price;
    /// moderations cost 0 then.
    /// </summary>
    public static decimal? Cost(in MeteredUnits units, in TokenUsage usage, DeploymentConfig config, ModelPrice? tokenPrice)
    {
        if (units.Kind == MeteringKind.FreeUnlessPriced) return tokenPrice?.Cost(usage) ?? 0m;
        var audio = For(config);
        decimal? total = null;
        if (units.Characters > 0 && audio.InputPerMChar is { } perMChar) total = units.Characters * perMChar / 1_000_000m;
        if (units.Seconds > 0 && audio.PerSecond is { } perSecond) total = (total ?? 0m) + (decimal)units.Seconds * perSecond;
        if (usage.IsReported && tokenPrice is not null) total = (total ?? 0m) + tokenPrice.Cost(usage);
        return total;
    }

    /// <summary>
    /// The first deployment of <paramref name="model"/> (<c>provider/model</c>) a budgeted request of this kind
    /// cannot be priced on: neither token nor audio rates (audio); none for moderations, which are free unpriced.
    /// </summary>
    public static string? Unpriced(RoutedModel model, MeteringKind kind, DeploymentPricing pricing)
    {
        if (kind == MeteringKind.FreeUnlessPriced) return null;
        foreach (var deployment in model.Deployments)
        {
            if (pricing.For(deployment) is null && !For(deployment.Config).IsPriced) return $"{deployment.Provider.Name}/{deployment.UpstreamModel}";
        }
        return null;
    }
}
