using System.Collections.Immutable;

namespace Switchboard.Config;

/// <summary>
/// The outcome of loading a config: either a validated <see cref="GatewayConfig"/> or every error found.
/// </summary>
/// <param name="Config">The config; null whenever <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">All problems found, ordered by position in the file.</param>
public sealed record ConfigLoadResult(GatewayConfig? Config, ImmutableArray<ConfigError> Errors)
{
    /// <summary>True when the config loaded without any error.</summary>
    public bool Ok => Errors.IsEmpty && Config is not null;

    /// <summary>Returns the config, or throws a <see cref="ConfigException"/> listing every error.</summary>
    public GatewayConfig GetConfigOrThrow() =>
        Ok ? Config! : throw new ConfigException(Errors);
}
