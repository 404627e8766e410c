using System.Collections.Immutable;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>Maps the <c>providers:</c> section to <see cref="ProviderConfig"/> records.</summary>
internal static partial class ProviderMapper
{
    private static readonly string[] AllowedKeys =
        ["type", "base_url", "api_key", "api_version", "headers", "connect_timeout", "timeout", "timeouts", "responses"];

    public static ImmutableArray<ProviderConfig> Read(YamlNode? node, YamlNodeReader reader, ConfigReferences references, IProviderTypeRules types)
    {
        if (node is null)
        {
            return [];
        }

        var entries = reader.Entries(node, "providers");
        if (entries is null)
        {
            return [];
        }

        var providers = ImmutableArray.CreateBuilder<ProviderConfig>();
        foreach (var entry in entries)
        {
            references.DeclaredProviders.Add(entry.Key);
            if (!NamePattern().IsMatch(entry.Key))
            {
                reader.Error(entry.KeyNode, entry.Path,
                    $"invalid provider name '{entry.Key}' (use letters, digits, '_', '.' and '-')");
            }

            if (ReadProvider(entry, reader, types) is { } provider)
            {
                providers.Add(provider);
            }
        }

        return providers.ToImmutable();
    }

    private static ProviderConfig? ReadProvider(MappingEntry entry, YamlNodeReader reader, IProviderTypeRules types)
    {
        var fields = reader.Fields(entry.Value, entry.Path, AllowedKeys);
        if (fields is null)
        {
            return null;
        }

        var type = ReadType(fields, reader, types);
        var baseUrl = ReadBaseUrl(fields, reader);
        var apiKey = reader.Text(fields.Get("api_key"), fields.PathOf("api_key"), secret: true);
        var apiVersion = reader.Text(fields.Get("api_version"), fields.PathOf("api_version"));
        if (apiVersion is not null && type is { DefaultApiVersion: null })
        {
            OnlyForTypes(fields, "api_version", reader, types, t => t.DefaultApiVersion is not null);
        }

        var responses = RoutingMapper.ReadBool(fields.Get("responses"), fields.PathOf("responses"), reader);
        if (responses is not null && type is { ResponsesByDefault: null })
        {
            OnlyForTypes(fields, "responses", reader, types, t => t.ResponsesByDefault is not null);
        }

        var headers = ReadHeaders(fields.Get("headers"), fields.PathOf("headers"), reader);
        var connectTimeout = reader.Duration(fields.Get("connect_timeout"), fields.PathOf("connect_timeout"));
        var timeout = reader.Duration(fields.Get("timeout"), fields.PathOf("timeout"));
        var timeouts = RoutingMapper.ReadTimeouts(fields.Get("timeouts"), fields.PathOf("timeouts"), reader, allowConnect: true);
        // The older flat keys are the same settings: connect_timeout = timeouts.connect, timeout = timeouts.total.
        timeouts = timeouts with { Connect = timeouts.Connect ?? connectTimeout, Total = timeouts.Total ?? timeout };

        if (type is null || baseUrl is null)
        {
            return null;
        }

        var provider = new ProviderConfig
        {
            Name = entry.Key,
            Type = type.Name,
            BaseUrl = baseUrl,
            // An empty key (e.g. "${OPENAI_API_KEY:-}") means "no key", as for local servers.
            ApiKey = string.IsNullOrEmpty(apiKey) ? null : apiKey,
            ApiVersion = type.DefaultApiVersion is null ? null
                : string.IsNullOrEmpty(apiVersion) ? type.DefaultApiVersion : apiVersion,
            Headers = headers,
            Responses = type.ResponsesByDefault is { } byDefault && (responses ?? byDefault(baseUrl)),
        };
        return provider with
        {
            ConnectTimeout = timeouts.Connect ?? provider.ConnectTimeout,
            RequestTimeout = timeouts.Total ?? provider.RequestTimeout,
            Timeouts = timeouts,
        };
    }

    /// <summary>A key the provider's type does not take: the error names the types that do.</summary>
    private static void OnlyForTypes(MappingFields fields, string key, YamlNodeReader reader, IProviderTypeRules types, Func<ProviderTypeRule, bool> takes)
    {
        var accepting = types.Names.Where(n => types.Find(n) is { } t && takes(t));
        reader.Error(fields.Get(key)!, fields.PathOf(key), $"{key} is only valid for type {string.Join(" or ", accepting)}");
    }

    private static ProviderTypeRule? ReadType(MappingFields fields, YamlNodeReader reader, IProviderTypeRules types)
    {
        var text = reader.RequiredText(fields, "type");
        if (text is null)
        {
            return null;
        }

        if (types.Find(text) is { } type)
        {
            return type;
        }

        reader.Error(fields.Get("type")!, fields.PathOf("type"),
            $"unknown provider type {YamlNodeReader.Quote(text)} (allowed: {string.Join(", ", types.Names)})");
        return null;
    }

    private static Uri? ReadBaseUrl(MappingFields fields, YamlNodeReader reader)
    {
        var text = reader.RequiredText(fields, "base_url")?.Trim();
        if (text is null)
        {
            return null;
        }

        // A trailing slash is dropped so callers can always append "/chat/completions" and the like.
        if (Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var url)
            && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && url.Host.Length > 0)
        {
            return url;
        }

        reader.Error(fields.Get("base_url")!, fields.PathOf("base_url"),
            $"bad URL {YamlNodeReader.Quote(text)} (expected an absolute http or https URL)");
        return null;
    }

    private static ImmutableArray<KeyValuePair<string, string>> ReadHeaders(YamlNode? node, string path, YamlNodeReader reader)
    {
        if (node is null || reader.Entries(node, path) is not { } entries)
        {
            return [];
        }

        var headers = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var entry in entries)
        {
            if (!HeaderNamePattern().IsMatch(entry.Key))
            {
                reader.Error(entry.KeyNode, entry.Path, $"invalid header name '{entry.Key}'");
                continue;
            }

            // Header values often carry credentials (Authorization, org keys): read as secrets, never quoted.
            var value = reader.Text(entry.Value, entry.Path, secret: true) ?? "";
            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                reader.Error(entry.Value, entry.Path, "header values must not contain line breaks");
                continue;
            }

            headers.Add(new KeyValuePair<string, string>(entry.Key, value));
        }

        return headers.ToImmutable();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+\z")]
    private static partial Regex NamePattern();

    // RFC 9110 token characters.
    [GeneratedRegex(@"^[!#$%&'*+.^_`|~0-9A-Za-z-]+\z")]
    private static partial Regex HeaderNamePattern();
}
