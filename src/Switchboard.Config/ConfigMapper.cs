using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>
/// Maps a parsed YAML document to a <see cref="GatewayConfig"/>: the top-level keys, <c>server:</c>,
/// <c>database</c> and <c>master_key</c>; the larger sections have their own mappers.
/// Every problem goes to the reader's error list; the result is only meaningful when there are none.
/// </summary>
internal static class ConfigMapper
{
    private static readonly string[] TopLevelKeys =
    [
        "master_key", "database", "server", "providers", "models", "fallbacks", "keys", "teams", "media",
        .. RoutingMapper.TopLevelKeys,
    ];

    private static readonly string[] ServerKeys = ["host", "port"];

    public static GatewayConfig Map(YamlNode root, YamlNodeReader reader)
    {
        var defaults = ConfigLoader.Defaults;
        if (root is not YamlMappingNode && !YamlNodeReader.IsNull(root))
        {
            reader.Error(root, "", $"expected a mapping of settings at the top level, got {YamlNodeReader.Describe(root)}");
            return defaults;
        }

        var fields = reader.Fields(root, "", TopLevelKeys)!;
        var references = new ConfigReferences();
        var config = defaults with
        {
            // An empty master key (e.g. "${SWITCHBOARD_MASTER_KEY:-}") means none, i.e. open mode stays possible.
            MasterKey = NullIfEmpty(reader.Text(fields.Get("master_key"), "master_key", secret: true)),
            Database = ReadDatabase(fields, reader) ?? defaults.Database,
            Server = ReadServer(fields.Get("server"), reader, defaults.Server),
            Providers = ProviderMapper.Read(fields.Get("providers"), reader, references),
            Models = ModelMapper.ReadModels(fields.Get("models"), reader, references),
            Fallbacks = ModelMapper.ReadFallbacks(fields.Get("fallbacks"), reader, references),
            Keys = KeyMapper.Read(fields.Get("keys"), reader, references),
            Teams = TeamMapper.Read(fields.Get("teams"), reader),
            Media = MediaMapper.Read(fields.Get("media"), reader),
        };
        config = RoutingMapper.Read(fields, reader, references, config);
        ConfigValidator.Validate(references, reader, config.Providers);
        return config;
    }

    private static string? ReadDatabase(MappingFields fields, YamlNodeReader reader)
    {
        var node = fields.Get("database");
        // Read as a secret: a postgres:// URL usually embeds a password.
        var text = reader.Text(node, "database", secret: true)?.Trim();
        if (text is { Length: 0 })
        {
            reader.Error(node!, "database", "must not be empty (omit it for the default data/switchboard.db)");
            return null;
        }

        return text;
    }

    private static ServerSettings ReadServer(YamlNode? node, YamlNodeReader reader, ServerSettings defaults)
    {
        if (node is null || reader.Fields(node, "server", ServerKeys) is not { } fields)
        {
            return defaults;
        }

        var host = reader.Text(fields.Get("host"), fields.PathOf("host"))?.Trim();
        if (host is { Length: 0 })
        {
            reader.Error(fields.Get("host")!, fields.PathOf("host"), "must not be empty");
            host = null;
        }

        var port = reader.Int(fields.Get("port"), fields.PathOf("port"), min: 1, max: 65535);
        return new ServerSettings { Host = host ?? defaults.Host, Port = port ?? defaults.Port };
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
