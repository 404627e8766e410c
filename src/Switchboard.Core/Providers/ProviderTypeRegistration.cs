using Switchboard.Config;

namespace Switchboard.Providers;

/// <summary>
/// One provider type a config may name under <c>providers.*.type</c>: its config rules (name, <c>api_version</c>,
/// type-specific deployment settings), how to build its upstream adapter, and what it can do. Each type declares one in
/// its own folder (<c>Providers/&lt;X&gt;/&lt;X&gt;ProviderType.cs</c>) and is listed once in <see cref="ProviderRegistry"/>.
/// </summary>
public sealed record ProviderTypeRegistration : ProviderTypeRule
{
    /// <summary>Builds the adapter for one configured provider of this type.</summary>
    public required Func<ProviderConfig, IUpstreamProtocol> CreateProtocol { get; init; }

    /// <summary>
    /// Builds the adapter for its OpenAI Responses API, beside the main one; null when the type has none. Set together
    /// with <see cref="ProviderTypeRule.ResponsesByDefault"/>, which lets the config loader accept <c>responses:</c>.
    /// </summary>
    public Func<ProviderConfig, IUpstreamProtocol>? CreateResponsesProtocol { get; init; }

    /// <summary>
    /// False when the upstream cannot fetch http(s) image URLs itself: the gateway then fetches them and sends the bytes
    /// inline (see <c>Media.ImageInliner</c>).
    /// </summary>
    public bool FetchesRemoteImages { get; init; } = true;
}
