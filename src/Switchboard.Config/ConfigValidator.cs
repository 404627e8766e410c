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
        CheckTypeSpecific(references.TypeSpecificSettings, providers, providerTypes, reader);
    }

    /// <summary>A deployment setting its provider's type does not understand (system_messages off Anthropic) would silently do nothing.</summary>
    private static void CheckTypeSpecific(List<NameReference> settings, IEnumerable<ProviderConfig> providers,
        IProviderTypeRules providerTypes, YamlNodeReader reader)
    {
        foreach (var setting in settings)
        {
            var provider = providers.FirstOrDefault(p => p.Name == setting.Name);
            var key = setting.Path[(setting.Path.LastIndexOf('.') + 1)..];
            if (provider is not null && providerTypes.Find(provider.Type) is { } type && !type.DeploymentSettings.Contains(key))
            {
                var accepting = providerTypes.Names.Where(n => providerTypes.Find(n)?.DeploymentSettings.Contains(key) == true).ToList();
                reader.Error(setting.Node, setting.Path,
                    $"{key} is only valid for a deployment of {ProviderTypeNames.WithArticle(accepting)} provider ({YamlNodeReader.Quote(setting.Name)} is not one)");
            }
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
