using System.Collections.Frozen;
using Switchboard.Config;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.AzureOpenAI;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers;

/// <summary>
/// Every provider type the gateway knows, by the name a config gives it. The config loader takes its rules from here
/// (it knows no type by name), and <see cref="UpstreamProvider"/> builds each configured provider's adapter from here.
/// A new provider type is one folder under <c>Providers/</c> plus one line in <see cref="Default"/>.
/// </summary>
public sealed class ProviderRegistry : IProviderTypeRules
{
    /// <summary>The gateway's provider types, in the order messages list them.</summary>
    public static ProviderRegistry Default { get; } = new(
    [
        OpenAIProviderType.Registration,
        AnthropicProviderType.Registration,
        GeminiProviderType.Registration,
        AzureOpenAIProviderType.Registration,
    ]);

    private readonly FrozenDictionary<string, ProviderTypeRegistration> _byName;

    /// <exception cref="ArgumentException">Two registrations share a name.</exception>
    public ProviderRegistry(IReadOnlyList<ProviderTypeRegistration> types)
    {
        All = types;
        var byName = new Dictionary<string, ProviderTypeRegistration>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (!byName.TryAdd(type.Name, type)) throw new ArgumentException($"provider type '{type.Name}' is registered twice", nameof(types));
        }
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        Names = [.. types.Select(t => t.Name)];
    }

    public IReadOnlyList<ProviderTypeRegistration> All { get; }

    public IReadOnlyList<string> Names { get; }

    public ProviderTypeRule? Find(string name) => Get(name);

    /// <summary>The registration called <paramref name="name"/>; null when there is none.</summary>
    public ProviderTypeRegistration? Get(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The registration called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No type has that name (a config the loader did not check).</exception>
    public ProviderTypeRegistration Require(string name) => Get(name)
        ?? throw new ArgumentException($"unknown provider type '{name}' (registered: {string.Join(", ", Names)})", nameof(name));
}
