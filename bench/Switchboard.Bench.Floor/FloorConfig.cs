using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Switchboard.Bench.Floor;

/// <summary>
/// What the floor proxy takes from a gateway config file (the one bench/run.sh writes): the client keys it accepts and
/// the first OpenAI-type provider it forwards to, with that provider's key. Everything else in the file is ignored.
/// </summary>
public sealed class FloorConfig
{
    public string? MasterKey { get; set; }
    public Dictionary<string, ProviderEntry> Providers { get; set; } = [];
    public List<KeyEntry> Keys { get; set; } = [];

    /// <summary>One entry of <c>providers:</c>.</summary>
    public sealed class ProviderEntry
    {
        public string? Type { get; set; }
        public string? BaseUrl { get; set; }
        public string? ApiKey { get; set; }
    }

    /// <summary>One entry of <c>keys:</c>.</summary>
    public sealed class KeyEntry
    {
        public string? Key { get; set; }
    }

    public static FloorConfig Load(string path)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        return deserializer.Deserialize<FloorConfig>(File.ReadAllText(path)) ?? new FloorConfig();
    }

    /// <summary>The client keys a request may present (the virtual keys and the master key).</summary>
    public HashSet<string> ClientKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Keys) if (!string.IsNullOrEmpty(entry.Key)) keys.Add(entry.Key);
        if (!string.IsNullOrEmpty(MasterKey)) keys.Add(MasterKey);
        return keys;
    }

    /// <summary>The first <c>type: openai</c> provider: its origin (requests keep their own /v1/... path) and key.</summary>
    public (string Origin, string ApiKey) Upstream()
    {
        foreach (var provider in Providers.Values)
        {
            if (provider.Type != "openai" || provider.BaseUrl is null) continue;
            var uri = new Uri(provider.BaseUrl);
            return (uri.GetLeftPart(UriPartial.Authority), provider.ApiKey ?? "");
        }
        throw new InvalidOperationException("the config names no provider of type openai");
    }
}
