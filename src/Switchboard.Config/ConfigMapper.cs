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
        "master_key", "database", "server", "providers", "models", "fallbacks", "keys", "teams", "media", "limits", "key_defaults",
        "responses", "telemetry",
        .. RoutingMapper.TopLevelKeys,
    ];

    private static readonly string[] ServerKeys = ["host", "port", "shutdown_timeout", "max_body_size", "max_upload_size"];
    private static readonly string[] KeyDefaultsKeys = ["max_parallel"];

    /// <summary>The largest max_body_size: 1 GiB (one request body lives in one array, which must stay well under 2 GiB).</summary>
    private const long MaxSize = 1024L * 1024 * 1024;

    public static GatewayConfig Map(YamlNode root, YamlNodeReader reader, IProviderTypeRules providerTypes)
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
            Providers = ProviderMapper.Read(fields.Get("providers"), reader, references, providerTypes),
            Models = ModelMapper.ReadModels(fields.Get("models"), reader, references),
            Fallbacks = ModelMapper.ReadFallbacks(fields.Get("fallbacks"), reader, references),
            Keys = KeyMapper.Read(fields.Get("keys"), reader, references),
            Teams = TeamMapper.Read(fields.Get("teams"), reader),
            Media = MediaMapper.Read(fields.Get("media"), reader),
            Limits = LimitPolicyMapper.Read(fields.Get("limits"), reader),
            KeyDefaults = ReadKeyDefaults(fields.Get("key_defaults"), reader),
            Responses = ResponsesMapper.Read(fields.Get("responses"), reader),
            Telemetry = TelemetryMapper.Read(fields.Get("telemetry"), reader),
        };
        config = RoutingMapper.Read(fields, reader, references, config);
        ConfigValidator.Validate(references, reader, config.Providers, providerTypes);
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
        var shutdown = reader.Duration(fields.Get("shutdown_timeout"), fields.PathOf("shutdown_timeout"));
        var maxBodySize = ReadSize(fields.Get("max_body_size"), fields.PathOf("max_body_size"), reader);
        var maxUploadSize = ReadSize(fields.Get("max_upload_size"), fields.PathOf("max_upload_size"), reader);
        return new ServerSettings
        {
            Host = host ?? defaults.Host, Port = port ?? defaults.Port, ShutdownTimeout = shutdown ?? defaults.ShutdownTimeout,
            MaxBodySize = maxBodySize ?? defaults.MaxBodySize,
            MaxUploadSize = maxUploadSize ?? defaults.MaxUploadSize,
        };
    }

    private static KeyDefaults ReadKeyDefaults(YamlNode? node, YamlNodeReader reader)
    {
        if (node is null || reader.Fields(node, "key_defaults", KeyDefaultsKeys) is not { } fields)
        {
            return KeyDefaults.None;
        }

        return new KeyDefaults { MaxParallel = reader.Int(fields.Get("max_parallel"), fields.PathOf("max_parallel")) };
    }

    /// <summary>A size in bytes: a plain number, or a number with <c>KB</c>, <c>MB</c> or <c>GB</c> (powers of 1024).</summary>
    private static long? ReadSize(YamlNode? node, string path, YamlNodeReader reader)
    {
        var text = reader.Text(node, path)?.Trim();
        if (text is null)
        {
            return null;
        }

        var (digits, unit) = text.ToUpperInvariant() switch
        {
            var t when t.EndsWith("KB", StringComparison.Ordinal) => (t[..^2], 1024L),
            var t when t.EndsWith("MB", StringComparison.Ordinal) => (t[..^2], 1024L * 1024),
            var t when t.EndsWith("GB", StringComparison.Ordinal) => (t[..^2], 1024L * 1024 * 1024),
            var t => (t, 1L),
        };
        if (!long.TryParse(digits.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            || number < 1 || number > MaxSize / unit)
        {
            reader.Error(node!, path, $"must be a size from 1 byte to 1GB, such as 64MB or 1048576, got {YamlNodeReader.Quote(text)}");
            return null;
        }

        return number * unit;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
