using System.Collections.Immutable;

namespace Switchboard.Config;

/// <summary>
/// What the config loader needs to know about the provider types a <c>providers.*.type</c> may name. The loader knows
/// no type by name: the gateway's provider registry supplies these rules (<c>Switchboard.Providers.ProviderRegistry</c>).
/// </summary>
public interface IProviderTypeRules
{
    /// <summary>Every type name a config may use, in the order messages list them.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The rules of the type called <paramref name="name"/>; null when no type has that name.</summary>
    ProviderTypeRule? Find(string name);
}

/// <summary>The config rules of one provider type.</summary>
public record ProviderTypeRule
{
    /// <summary>The value of <c>type:</c> in the config (e.g. <c>azure-openai</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The <c>api_version</c> used when the config gives none; null when the type takes no <c>api_version</c>.</summary>
    public string? DefaultApiVersion { get; init; }

    /// <summary>Deployment keys that only some types understand and this one does (e.g. <c>system_messages</c>).</summary>
    public ImmutableArray<string> DeploymentSettings { get; init; } = [];

    /// <summary>
    /// Null when the type has no OpenAI Responses API (then <c>responses:</c> on the provider and <c>api: responses</c>
    /// on its deployments are errors); else whether a provider at this base URL uses it by default.
    /// </summary>
    public Func<Uri, bool>? ResponsesByDefault { get; init; }
}
