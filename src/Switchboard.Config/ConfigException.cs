namespace Switchboard.Config;

/// <summary>
/// Thrown by callers that cannot continue with an invalid config (e.g. startup).
/// The message lists every error, one per line, in <see cref="ConfigError.ToString"/> form.
/// </summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(FormatMessage(errors))
{
    /// <summary>Every error found, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; } = errors;

    private static string FormatMessage(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 0
            ? "invalid configuration"
            : string.Join(Environment.NewLine, errors.Select(e => e.ToString()));
    }
}
