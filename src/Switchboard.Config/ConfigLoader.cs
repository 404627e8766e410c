using System.Collections.Immutable;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>
/// Loads <c>switchboard.yaml</c>: parses YAML, expands <c>${ENV}</c> references, maps to
/// <see cref="GatewayConfig"/> and validates it. Never throws for bad input: every problem in the file
/// comes back as a <see cref="ConfigError"/> with file, line, column and key path, all at once.
/// </summary>
public static partial class ConfigLoader
{
    /// <summary>Built-in defaults used when no file exists: no providers, no models, no keys (open mode).</summary>
    public static GatewayConfig Defaults { get; } = new();

    /// <summary>
    /// Loads and validates a YAML file. A missing or unreadable file is an error (callers that want
    /// "defaults when absent" check for the file first).
    /// </summary>
    /// <param name="path">The file to read; also used as the file name in messages.</param>
    /// <param name="providerTypes">The provider types <c>providers.*.type</c> may name (the gateway's provider registry).</param>
    /// <param name="env">Environment lookup for <c>${NAME}</c>; defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    public static ConfigLoadResult LoadFile(string path, IProviderTypeRules providerTypes, Func<string, string?>? env = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failed(new ConfigError(path, 0, 0, "", "config file not found"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return Failed(new ConfigError(path, 0, 0, "", $"cannot read config file: {ex.Message}"));
        }

        return LoadText(text, path, providerTypes, env);
    }

    /// <summary>Loads and validates YAML text.</summary>
    /// <param name="yaml">The YAML document. Empty (or only comments) means the built-in defaults.</param>
    /// <param name="sourceName">Used as the file name in messages and as <see cref="GatewayConfig.SourcePath"/>.</param>
    /// <param name="providerTypes">The provider types <c>providers.*.type</c> may name (the gateway's provider registry).</param>
    /// <param name="env">Environment lookup for <c>${NAME}</c>; defaults to <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    public static ConfigLoadResult LoadText(string yaml, string sourceName, IProviderTypeRules providerTypes, Func<string, string?>? env = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(providerTypes);
        var reader = new YamlNodeReader(sourceName, env ?? Environment.GetEnvironmentVariable);

        var root = Parse(yaml, reader);
        var config = root is null ? Defaults : ConfigMapper.Map(root, reader, providerTypes);

        if (reader.Errors.Count > 0)
        {
            // Sorted by position so the list reads top to bottom like the file (stable for equal positions).
            var errors = reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToImmutableArray();
            return new ConfigLoadResult(null, errors);
        }

        return new ConfigLoadResult(config with { SourcePath = sourceName }, []);
    }

    private static YamlNode? Parse(string yaml, YamlNodeReader reader)
    {
        var parser = new EnvReferenceShield.UnshieldingParser(new Parser(new StringReader(EnvReferenceShield.Shield(yaml))));
        try
        {
            var stream = new YamlStream();
            stream.Load(new DuplicateKeyFilter(parser, reader.Error));
            if (stream.Documents.Count > 1)
            {
                reader.Error(stream.Documents[1].RootNode, "", "only one YAML document is allowed per config file");
            }

            return stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        }
        catch (YamlException ex)
        {
            reader.Error(ex.Start, "", $"YAML syntax error: {StripPosition(ex.Message)}");
            return null;
        }
#pragma warning disable CA1031 // YamlDotNet's scanner throws plain exceptions on some malformed input (e.g. InvalidOperationException); a broken file must still come back as an error, never as a crash.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            reader.Error(parser.LastEnd, "", "YAML syntax error: the file cannot be parsed after this point");
            return null;
        }
    }

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; we report the position ourselves.
    private static string StripPosition(string message) => PositionPrefix().Replace(message, "");

    private static ConfigLoadResult Failed(ConfigError error) => new(null, [error]);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
