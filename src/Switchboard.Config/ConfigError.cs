namespace Switchboard.Config;

/// <summary>
/// One problem found while loading a config file, with the position it refers to.
/// Messages never contain secret values (provider keys, virtual keys, the master key).
/// </summary>
/// <param name="File">The file (or source name) the problem is in.</param>
/// <param name="Line">1-based line, or 0 when the problem has no position (e.g. unreadable file).</param>
/// <param name="Column">1-based column, or 0 when unknown.</param>
/// <param name="KeyPath">Dotted key path such as <c>providers.openai.base_url</c> or <c>keys[2].key</c>; empty for the whole file.</param>
/// <param name="Message">What is wrong, phrased for an operator.</param>
public sealed record ConfigError(string File, int Line, int Column, string KeyPath, string Message)
{
    /// <summary>
    /// Compiler-style text: <c>switchboard.yaml:12:5: providers.openai.base_url: message</c>.
    /// The key path is left out when empty, and the position when unknown.
    /// </summary>
    public override string ToString()
    {
        var position = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        return KeyPath.Length == 0 ? $"{position}: {Message}" : $"{position}: {KeyPath}: {Message}";
    }
}
