using System.Runtime.CompilerServices;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Pricing;

/// <summary>
/// The price of each deployment (config prices first, then the built-in list), and of each public model's worst case
/// over every deployment a request for it could reach, fallbacks included. Computed once per deployment and model of a
/// runtime and remembered alongside them (a reload builds new ones), so the request path does one table lookup.
/// </summary>
public sealed class DeploymentPricing(PriceList list)
{
    private readonly ConditionalWeakTable<RoutedDeployment, PriceSlot> _deployments = new();
    private readonly ConditionalWeakTable<RoutedModel, ModelPricing> _models = new();

    /// <summary>The price a deployment's usage is billed at; null = unpriced.</summary>
    public ModelPrice? For(RoutedDeployment deployment) =>
        _deployments.GetValue(deployment, d => new PriceSlot(Resolve(d.Config, list))).Price;

    /// <summary>The worst-case pricing of a request for <paramref name="model"/> (its deployments and fallbacks).</summary>
    public ModelPricing For(RoutedModel model, IModelCatalog models) =>
        _models.GetValue(model, m => Build(m, models));

    /// <summary>
    /// A deployment's price: the config's <c>input_per_mtok</c>/<c>output_per_mtok</c>/<c>cached_input_per_mtok</c>
    /// override the built-in list field by field. Priced only when both the input and the output rate are known from
    /// one or the other: a half-known price would bill part of the usage at $0.
    /// </summary>
    public static ModelPrice? Resolve(DeploymentConfig config, PriceList list)
    {
        var listed = list.Find(config.Model);
        var input = config.InputPerMTok ?? listed?.InputPerMTok;
        var output = config.OutputPerMTok ?? listed?.OutputPerMTok;
        if (input is null || output is null) return null;
        // A config input price without a cached price means "this is what input costs here": the list's cached rate
        // belongs to the list's input rate and is only kept when the input rate came from the list too.
        var cached = config.CachedInputPerMTok ?? (config.InputPerMTok is null ? listed?.CachedInputPerMTok : null);
        var write = config.InputPerMTok is null ? listed?.CacheWritePerMTok : null;
        return new ModelPrice(input.Value, output.Value, cached, write);
    }

    private ModelPricing Build(RoutedModel model, IModelCatalog models)
    {
        decimal maxInput = 0, maxOutput = 0;
        string? unpriced = null;
        void Add(RoutedModel m)
        {
            foreach (var deployment in m.Deployments)
            {
                if (For(deployment) is { } price)
                {
                    maxInput = Math.Max(maxInput, price.MaxInputRate);
                    maxOutput = Math.Max(maxOutput, price.OutputPerMTok);
                }
                else if (!ImagePricing.HasImagePrices(deployment.Config))
                {
                    // A deployment priced only per image is priced (its images are billed when they are known).
                    unpriced ??= $"{deployment.Provider.Name}/{deployment.UpstreamModel}";
                }
            }
        }
        Add(model);
        foreach (var fallback in model.Fallbacks)
        {
            if (models.TryGetModel(fallback, out var other)) Add(other);
        }
        return new ModelPricing(new ModelPrice(maxInput, maxOutput), unpriced);
    }

    private sealed record PriceSlot(ModelPrice? Price);
}

/// <summary>The worst case a request for a public model can cost.</summary>
/// <param name="WorstCase">The dearest input and output rates over every reachable deployment.</param>
/// <param name="UnpricedDeployment">The first reachable deployment with no price (<c>provider/model</c>), if any.</param>
public sealed record ModelPricing(ModelPrice WorstCase, string? UnpricedDeployment);
