using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>A name used in one place that must be defined in another (a provider or model).</summary>
internal readonly record struct NameReference(string Name, YamlNode Node, string Path);

/// <summary>
/// What the section mappers declared and referenced, kept with positions so <see cref="ConfigValidator"/>
/// can check cross-references after every section is read (sections may come in any order).
/// Declared names include entries that had errors, so one bad provider does not also produce
/// "provider not defined" errors for every model that uses it.
/// </summary>
internal sealed class ConfigReferences
{
    public List<string> DeclaredProviders { get; } = [];
    public List<string> DeclaredModels { get; } = [];
    public List<NameReference> ProviderReferences { get; } = [];
    public List<NameReference> ModelReferences { get; } = [];
    /// <summary>Deployment settings only some provider types understand: the provider's name, at the setting.</summary>
    public List<NameReference> TypeSpecificSettings { get; } = [];
    /// <summary>Deployments with <c>api: responses</c>: the provider's name, at the <c>api</c> value.</summary>
    public List<NameReference> ResponsesDeployments { get; } = [];
}
