using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.RepresentationModel;
using Switchboard.Limits;

namespace Switchboard.Config;

/// <summary>Maps the <c>keys:</c> section (virtual keys defined in the file).</summary>
internal static class KeyMapper
{
    private static readonly string[] AllowedKeys =
        ["key", "name", "models", "rpm", "tpm", "max_parallel", "budget_usd", "budget_period", "expires_at", "team"];

    // ISO-8601 / RFC 3339 forms only; "K" accepts "Z", an offset, or nothing (then UTC is assumed).
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static ImmutableArray<KeyConfig> Read(YamlNode? node, YamlNodeReader reader, ConfigReferences references)
    {
        if (node is null || reader.Items(node, "keys", singleAllowed: false) is not { } items)
        {
            return [];
        }

        var keys = ImmutableArray.CreateBuilder<KeyConfig>(items.Count);
        // Secrets are compared, never printed: a duplicate is reported by position only.
        var pathBySecret = new Dictionary<string, string>(StringComparer.Ordinal);
        var pathByName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (item, path) in items)
        {
            var fields = reader.Fields(item, path, AllowedKeys);
            if (fields is null)
            {
                continue;
            }

            var errorsBefore = reader.Errors.Count;
            var secret = reader.RequiredText(fields, "key", secret: true);
            if (secret is not null && !pathBySecret.TryAdd(secret, fields.PathOf("key")))
            {
                reader.Error(fields.Get("key")!, fields.PathOf("key"),
                    $"duplicate key secret (same as {pathBySecret[secret]})");
            }

            var name = reader.RequiredText(fields, "name")?.Trim();
            if (name is not null && !pathByName.TryAdd(name, path))
            {
                reader.Error(fields.Get("name")!, fields.PathOf("name"),
                    $"duplicate key name '{name}' (also used by {pathByName[name]})");
            }

            var key = new KeyConfig
            {
                Key = secret ?? "",
                Name = name ?? "",
                Models = ReadModels(fields, reader, references),
                Limits = LimitSettingsMapper.Read(fields, reader),
                ExpiresAt = ReadExpiry(fields, reader),
                Team = NullIfEmpty(reader.Text(fields.Get("team"), fields.PathOf("team"))?.Trim()),
            };

            if (reader.Errors.Count == errorsBefore)
            {
                keys.Add(key);
            }
        }

        return keys.ToImmutable();
    }

    private static ImmutableArray<string>? ReadModels(MappingFields fields, YamlNodeReader reader, ConfigReferences references)
    {
        var node = fields.Get("models");
        // Omitted (or null) means every model; an explicit empty list means none, which is kept as written.
        if (node is null || YamlNodeReader.IsNull(node))
        {
            return null;
        }

        var items = reader.Items(node, fields.PathOf("models"), singleAllowed: node is YamlScalarNode);
        if (items is null)
        {
            return null;
        }

        var models = ImmutableArray.CreateBuilder<string>(items.Count);
        foreach (var (item, path) in items)
        {
            if (ModelMapper.ReadModelName(item, path, reader) is { } name)
            {
                references.ModelReferences.Add(new NameReference(name, item, path));
                if (!models.Contains(name))
                {
                    models.Add(name);
                }
            }
        }

        return models.ToImmutable();
    }

    private static DateTimeOffset? ReadExpiry(MappingFields fields, YamlNodeReader reader)
    {
        var node = fields.Get("expires_at");
        var text = reader.Text(node, fields.PathOf("expires_at"))?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        reader.Error(node!, fields.PathOf("expires_at"),
            $"expected an ISO-8601 date or time like 2026-12-31 or 2026-12-31T23:59:00Z, got {YamlNodeReader.Quote(text)}");
        return null;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
