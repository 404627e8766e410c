using System.Collections.Frozen;
using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>Maps the <c>models:</c> and <c>fallbacks:</c> sections.</summary>
internal static class ModelMapper
{
    private static readonly string[] DeploymentKeys =
        ["provider", "model", "input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "input_per_mchar", "per_second", "weight", "priority", "timeouts", "system_messages", "api",
         "image_prices", "image_input_per_mtok"];

    /// <summary>Keys of the mapping form of a model (<c>smart: { strategy: ..., deployments: [...] }</c>).</summary>
    private static readonly string[] ModelKeys = ["strategy", "deployments", "timeouts", "hidden"];

    public static ImmutableArray<ModelConfig> ReadModels(YamlNode? node, YamlNodeReader reader, ConfigReferences references)
    {
        if (node is null || reader.Entries(node, "models") is not { } entries)
        {
            return [];
        }

        var models = ImmutableArray.CreateBuilder<ModelConfig>();
        foreach (var entry in entries)
        {
            references.DeclaredModels.Add(entry.Key);
            if (!IsValidModelName(entry.Key))
            {
                reader.Error(entry.KeyNode, entry.Path, $"invalid model name '{entry.Key}' (no spaces or control characters)");
            }

            // The mapping form carries per-model routing options next to its deployment list.
            var value = entry.Value;
            var itemsPath = entry.Path;
            MappingFields? options = null;
            if (value is YamlMappingNode mapping && mapping.Children.ContainsKey(new YamlScalarNode("deployments")))
            {
                options = reader.Fields(value, entry.Path, ModelKeys);
                if (options?.Get("deployments") is not { } list)
                {
                    continue;
                }

                value = list;
                itemsPath = options.PathOf("deployments");
            }

            // A single mapping is accepted as a one-deployment list: the common case reads naturally.
            var items = reader.Items(value, itemsPath, singleAllowed: value is YamlMappingNode);
            if (items is null)
            {
                continue;
            }

            if (items.Count == 0)
            {
                reader.Error(entry.KeyNode, entry.Path, $"model '{entry.Key}' has no deployments (list at least one)");
                continue;
            }

            var deployments = ImmutableArray.CreateBuilder<DeploymentConfig>(items.Count);
            foreach (var (item, path) in items)
            {
                if (ReadDeployment(item, path, reader, references) is { } deployment)
                {
                    deployments.Add(deployment);
                }
            }

            var strategy = options is null ? null : RoutingMapper.ReadStrategy(options.Get("strategy"), options.PathOf("strategy"), reader);
            var timeouts = options is null
                ? TimeoutSettings.None
                : RoutingMapper.ReadTimeouts(options.Get("timeouts"), options.PathOf("timeouts"), reader, allowConnect: false);
            var hidden = options is not null && RoutingMapper.ReadBool(options.Get("hidden"), options.PathOf("hidden"), reader) == true;
            if (deployments.Count == items.Count)
            {
                models.Add(new ModelConfig
                {
                    Name = entry.Key,
                    Deployments = deployments.MoveToImmutable(),
                    Strategy = strategy,
                    Timeouts = timeouts,
                    Hidden = hidden,
                });
            }
        }

        return models.ToImmutable();
    }

    public static FrozenDictionary<string, ImmutableArray<string>> ReadFallbacks(
        YamlNode? node, YamlNodeReader reader, ConfigReferences references, string section = "fallbacks")
    {
        if (node is null || reader.Entries(node, section) is not { } entries)
        {
            return FrozenDictionary<string, ImmutableArray<string>>.Empty;
        }

        var fallbacks = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            references.ModelReferences.Add(new NameReference(entry.Key, entry.KeyNode, entry.Path));
            // "claude: gpt-4o" is accepted as a one-element chain.
            var items = reader.Items(entry.Value, entry.Path, singleAllowed: entry.Value is YamlScalarNode);
            if (items is null)
            {
                continue;
            }

            var chain = ImmutableArray.CreateBuilder<string>(items.Count);
            foreach (var (item, path) in items)
            {
                var name = ReadModelName(item, path, reader);
                if (name is null)
                {
                    continue;
                }

                if (name == entry.Key)
                {
                    reader.Error(item, path, $"model '{name}' cannot fall back to itself");
                }
                else if (chain.Contains(name))
                {
                    reader.Error(item, path, $"model '{name}' is listed twice");
                }
                else
                {
                    references.ModelReferences.Add(new NameReference(name, item, path));
                    chain.Add(name);
                }
            }

            if (chain.Count > 0)
            {
                fallbacks[entry.Key] = chain.ToImmutable();
            }
        }

        return fallbacks.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A model name inside a list (fallbacks, a key's models); records an error when empty.</summary>
    public static string? ReadModelName(YamlNode item, string path, YamlNodeReader reader)
    {
        var errorsBefore = reader.Errors.Count;
        var name = reader.Text(item, path)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (reader.Errors.Count == errorsBefore)
            {
                reader.Error(item, path, "model name must not be empty");
            }

            return null;
        }

        return name;
    }

    private static DeploymentConfig? ReadDeployment(YamlNode node, string path, YamlNodeReader reader, ConfigReferences references)
    {
        var fields = reader.Fields(node, path, DeploymentKeys);
        if (fields is null)
        {
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        var provider = reader.RequiredText(fields, "provider")?.Trim();
        if (provider is not null)
        {
            references.ProviderReferences.Add(new NameReference(provider, fields.Get("provider")!, fields.PathOf("provider")));
        }

        var model = reader.RequiredText(fields, "model")?.Trim();
        var input = reader.NonNegativeDecimal(fields.Get("input_per_mtok"), fields.PathOf("input_per_mtok"));
        var output = reader.NonNegativeDecimal(fields.Get("output_per_mtok"), fields.PathOf("output_per_mtok"));
        var cached = reader.NonNegativeDecimal(fields.Get("cached_input_per_mtok"), fields.PathOf("cached_input_per_mtok"));
        var imageInput = reader.NonNegativeDecimal(fields.Get("image_input_per_mtok"), fields.PathOf("image_input_per_mtok"));
        var imagePrices = ReadImagePrices(fields.Get("image_prices"), fields.PathOf("image_prices"), reader);
        var perMChar = reader.NonNegativeDecimal(fields.Get("input_per_mchar"), fields.PathOf("input_per_mchar"));
        var perSecond = reader.NonNegativeDecimal(fields.Get("per_second"), fields.PathOf("per_second"));
        var weight = reader.Int(fields.Get("weight"), fields.PathOf("weight"));
        var priority = reader.Int(fields.Get("priority"), fields.PathOf("priority"), min: 0);
        var timeouts = RoutingMapper.ReadTimeouts(fields.Get("timeouts"), fields.PathOf("timeouts"), reader, allowConnect: false);
        var systemMessages = reader.OneOf(fields.Get("system_messages"), fields.PathOf("system_messages"), ["fold", "keep"], "system_messages")
            switch { "fold" => SystemMessageHandling.Fold, "keep" => SystemMessageHandling.Keep, _ => (SystemMessageHandling?)null };
        if (systemMessages is not null && provider is not null)
        {
            references.TypeSpecificSettings.Add(new NameReference(provider, fields.Get("system_messages")!, fields.PathOf("system_messages")));
        }

        var api = reader.OneOf(fields.Get("api"), fields.PathOf("api"), ["chat", "responses"], "api") == "responses"
            ? DeploymentApi.Responses
            : DeploymentApi.Chat;
        if (api == DeploymentApi.Responses && provider is not null)
        {
            references.ResponsesDeployments.Add(new NameReference(provider, fields.Get("api")!, fields.PathOf("api")));
        }

        if (reader.Errors.Count != errorsBefore || provider is null || model is null)
        {
            return null;
        }

        return new DeploymentConfig
        {
            Provider = provider,
            Model = model,
            InputPerMTok = input,
            OutputPerMTok = output,
            CachedInputPerMTok = cached,
            ImageInputPerMTok = imageInput,
            ImagePrices = imagePrices,
            InputPerMChar = perMChar,
            PerSecond = perSecond,
            Weight = weight ?? 1,
            Priority = priority,
            Timeouts = timeouts,
            SystemMessages = systemMessages,
            Api = api,
            Line = checked((int)node.Start.Line),
        };
    }

    /// <summary>
    /// <c>image_prices</c>: USD per image by <c>SIZE/QUALITY</c>, <c>SIZE</c>, <c>*/QUALITY</c> or <c>default</c>
    /// (e.g. <c>1024x1024/hd: 0.08</c>); the most specific key that matches an image prices it.
    /// </summary>
    private static FrozenDictionary<string, decimal>? ReadImagePrices(YamlNode? node, string path, YamlNodeReader reader)
    {
        if (node is null || reader.Entries(node, path) is not { } entries) return null;
        var prices = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            var key = entry.Key.Trim();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace) || key.Count(c => c == '/') > 1 || key.StartsWith('/') || key.EndsWith('/'))
            {
                reader.Error(entry.KeyNode, entry.Path, $"bad image price key '{entry.Key}' (expected SIZE, SIZE/QUALITY, */QUALITY or default, e.g. 1024x1024/hd)");
                continue;
            }
            if (reader.NonNegativeDecimal(entry.Value, entry.Path) is { } price) prices[key] = price;
        }
        return prices.Count == 0 ? null : prices.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static bool IsValidModelName(string name) =>
        name.Length > 0 && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
}
