using Switchboard.Config;

namespace Switchboard.Bench.Floor;

/// <summary>
/// What the floor proxy takes from a gateway config (loaded by the gateway's own <see cref="ConfigLoader"/>): the client
/// keys it accepts and the first OpenAI-type provider it forwards to, with that provider's key.
/// </summary>
internal static class FloorConfig
{
    /// <summary>The client keys a request may present (the virtual keys and the master key).</summary>
    public static HashSet<string> ClientKeys(GatewayConfig config)
    {
        var keys = new HashSet<string>(config.Keys.Select(k => k.Key), StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(config.MasterKey)) keys.Add(config.MasterKey);
        return keys;
    }

    /// <summary>The first <c>type: openai</c> provider: its origin (requests keep their own /v1/... path) and key.</summary>
    public static (string Origin, string ApiKey) Upstream(GatewayConfig config)
    {
        var provider = config.Providers.FirstOrDefault(p => p.Type == Switchboard.Providers.OpenAI.OpenAIProviderType.Registration.Name)
            ?? throw new InvalidOperationException("the config names no provider of type openai");
        return (provider.BaseUrl.GetLeftPart(UriPartial.Authority), provider.ApiKey ?? "");
    }
}
