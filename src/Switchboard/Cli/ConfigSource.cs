using Switchboard.Config;

namespace Switchboard.Cli;

/// <summary>
/// Finds and loads the config the way CONTRACT §1 says: <c>--config</c>, else <c>SWITCHBOARD_CONFIG</c>,
/// else <c>./switchboard.yaml</c> when present, else the built-in defaults.
/// </summary>
public static class ConfigSource
{
    public const string DefaultFile = "switchboard.yaml";

    public static string? ResolvePath(string? flag)
    {
        if (!string.IsNullOrWhiteSpace(flag)) return flag;
        var fromEnv = Environment.GetEnvironmentVariable("SWITCHBOARD_CONFIG");
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        return File.Exists(DefaultFile) ? DefaultFile : null;
    }

    /// <summary>Loads the config, printing every error (file:line:column: key: message) to stderr on failure.</summary>
    public static GatewayConfig? Load(string? flag, TextWriter errors)
    {
        var path = ResolvePath(flag);
        if (path is null) return ConfigLoader.Defaults;
        if (!File.Exists(path))
        {
            errors.WriteLine($"{path}: config file not found");
            return null;
        }
        var result = ConfigLoader.LoadFile(path, Switchboard.Providers.ProviderRegistry.Default);
        if (result.Ok) return result.Config;
        foreach (var error in result.Errors) errors.WriteLine(error.ToString());
        errors.WriteLine($"{path}: {result.Errors.Length} error(s); nothing was started.");
        return null;
    }
}
