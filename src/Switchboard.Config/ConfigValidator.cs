namespace Switchboard.Config;

/// <summary>
/// Cross-section checks that need the whole file: every provider a deployment names and every model
/// a fallback or key names must be defined. Runs after all sections are read, so order in the file
/// does not matter.
/// </summary>
internal static class ConfigValidator
{
    // Beyond this many names the "(defined: ...)" hint stops helping and only floods the terminal.
    private const int MaxListedNames = 20;

    public static void Validate(ConfigReferences references, YamlNodeReader reader, IEnumerable<ProviderConfig> providers,
        IProviderTypeRules providerTypes)
    {
        CheckDefined(references.ProviderReferences, references.DeclaredProviders, "provider", "providers", reader);
        CheckDefined(references.ModelReferences, references.DeclaredModels, "model", "models", reader);
        foreach (var setting in references.TypeSpecificSettings)
        {
            // A deployment setting its provider's type does not understand (system_messages off Anthropic) would silently do nothing.
            var key = setting.Path[(setting.Path.LastIndexOf('.') + 1)..];
            CheckProviderType(setting, key, t => t.DeploymentSettings.Contains(key), providers, providerTypes, reader);
        }
        foreach (var deployment in references.ResponsesDeployments)
        {
            CheckProviderType(deployment, "api: responses", t => t.ResponsesByDefault is not null, providers, providerTypes, reader);
        }
    }

    /// <summary>An error at <paramref name="setting"/> when its provider's type does not take <paramref name="what"/>.</summary>
    private static void CheckProviderType(NameReference setting, string what, Func<ProviderTypeRule, bool> takes, IEnumerable<ProviderConfig> providers,
        IProviderTypeRules providerTypes, YamlNodeReader reader)
    {
        var provider = providers.FirstOrDefault(p => p.Name == setting.Name);
        if (provider is not null && providerTypes.Find(provider.Type) is { } type && !takes(type))
        {
            var accepting = providerTypes.Names.Where(n => providerTypes.Find(n) is { } t && takes(t)).ToList();
            reader.Error(setting.Node, setting.Path,
                $"{what} is only valid for a deployment of {ProviderTypeNames.WithArticle(accepting)} provider ({YamlNodeReader.Quote(setting.Name)} is not one)");
        }
    }

    private static void CheckDefined(
        List<NameReference> references, List<string> declared, string what, string plural, YamlNodeReader reader)
    {
        var defined = declared.ToHashSet(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            if (!defined.Contains(reference.Name))
            {
                reader.Error(reference.Node, reference.Path,
                    $"{what} {YamlNodeReader.Quote(reference.Name)} is not defined ({ListNames(declared, plural)})");
            }
        }
    }

    private static string ListNames(List<string> names, string plural)
    {
        if (names.Count == 0)
        {
            return $"no {plural} are defined";
        }

        var listed = string.Join(", ", names.Take(MaxListedNames));
        return names.Count > MaxListedNames ? $"defined: {listed}, ..." : $"defined: {listed}";
    }
}
