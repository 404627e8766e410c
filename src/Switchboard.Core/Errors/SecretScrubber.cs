using System.Text.RegularExpressions;

namespace Switchboard.Errors;

/// <summary>
/// Removes secrets from text that came from outside (upstream error messages) before it reaches a client or a log.
/// Upstreams echo keys back (OpenAI: "Incorrect API key provided: sk-proj-****abcd"); we remove the exact
/// provider key and anything shaped like a key.
/// </summary>
public static partial class SecretScrubber
{
    // Key-shaped tokens: sk-..., sk-ant-..., AIza..., long bearer-ish runs. Masked forms with '*' count too.
    [GeneratedRegex(@"\b(sk-[A-Za-z0-9_\-\*]{3,}|AIza[0-9A-Za-z_\-\*]{10,}|key-[A-Za-z0-9\*]{8,})", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();

    /// <summary>Returns <paramref name="text"/> with <paramref name="secrets"/> and key-shaped tokens replaced by "[redacted]".</summary>
    public static string Scrub(string text, params ReadOnlySpan<string?> secrets)
    {
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
            }
        }
        return KeyShaped().Replace(text, "[redacted]");
    }
}
