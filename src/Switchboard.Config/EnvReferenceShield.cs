using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Switchboard.Config;

/// <summary>
/// Lets <c>${NAME}</c> stand unquoted inside flow collections, as in the documented
/// <c>openai: { type: openai, api_key: ${OPENAI_API_KEY} }</c>. Strict YAML forbids <c>{</c> and <c>}</c>
/// in plain scalars there, so before parsing the braces of each <c>${...}</c> on one line are swapped
/// for private-use characters (same length, so every line and column stays exact), and
/// <see cref="UnshieldingParser"/> swaps them back in every scalar the parser produces.
/// Interpolation itself still happens later, on values only.
/// </summary>
internal static class EnvReferenceShield
{
    private const char OpenStandIn = '\uE000';
    private const char CloseStandIn = '\uE001';

    /// <summary>Returns <paramref name="yaml"/> with the braces of <c>${...}</c> references replaced.</summary>
    public static string Shield(string yaml)
    {
        // A file that already uses the stand-ins (never seen in practice) is left alone rather than corrupted.
        if (!yaml.Contains("${", StringComparison.Ordinal) || yaml.AsSpan().IndexOfAny(OpenStandIn, CloseStandIn) >= 0)
        {
            return yaml;
        }

        var chars = yaml.ToCharArray();
        var i = 0;
        while ((i = yaml.IndexOf("${", i, StringComparison.Ordinal)) >= 0)
        {
            var close = yaml.IndexOfAny(['}', '\n'], i + 2);
            if (close < 0 || yaml[close] != '}')
            {
                // Unterminated on this line: leave it for the interpolator to report.
                i += 2;
                continue;
            }

            chars[i + 1] = OpenStandIn;
            chars[close] = CloseStandIn;
            i = close + 1;
        }

        return new string(chars);
    }

    /// <summary>Undoes <see cref="Shield"/> in one scalar's text.</summary>
    public static string Unshield(string text) =>
        text.AsSpan().IndexOfAny(OpenStandIn, CloseStandIn) < 0
            ? text
            : text.Replace(OpenStandIn, '{').Replace(CloseStandIn, '}');

    /// <summary>
    /// Wraps the YAML parser: restores shielded braces in scalar events and remembers where the last
    /// event ended, which is the best position to report when the parser fails without one.
    /// </summary>
    internal sealed class UnshieldingParser(IParser inner) : IParser
    {
        public ParsingEvent? Current { get; private set; }

        /// <summary>End of the last event read (start of the file before any).</summary>
        public Mark LastEnd { get; private set; } = Mark.Empty;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                Current = null;
                return false;
            }

            var current = inner.Current!;
            LastEnd = current.End;
            if (current is Scalar scalar && Unshield(scalar.Value) is var value && !ReferenceEquals(value, scalar.Value))
            {
                current = new Scalar(scalar.Anchor, scalar.Tag, value, scalar.Style, scalar.IsPlainImplicit,
                    scalar.IsQuotedImplicit, scalar.Start, scalar.End, scalar.IsKey);
            }

            Current = current;
            return true;
        }
    }
}
