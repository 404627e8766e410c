using System.Text;

namespace Switchboard.Config;

/// <summary>
/// Expands <c>${NAME}</c>, <c>${NAME:-default}</c> and the escape <c>$${</c> in scalar values.
/// Substitution happens after YAML parsing, so a variable's value is never itself parsed as YAML
/// (a value containing <c>: </c> or <c>#</c> cannot change the structure of the file).
/// </summary>
internal static class EnvInterpolator
{
    /// <summary>
    /// Expands <paramref name="text"/>. Returns the expanded text, or null with every problem in
    /// <paramref name="problems"/> (e.g. <c>environment variable X is not set</c>). With
    /// <paramref name="secret"/> set, messages never quote the text of a malformed reference
    /// (it could be part of a literal secret).
    /// </summary>
    public static string? Expand(string text, Func<string, string?> env, bool secret, List<string> problems)
    {
        // Fast path: the overwhelming majority of values contain no '$' at all.
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var problemsBefore = problems.Count;
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '$' && At(text, i + 1, "${"))
            {
                // "$${" is the escape for a literal "${".
                result.Append("${");
                i += 3;
            }
            else if (c == '$' && At(text, i + 1, "{"))
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    problems.Add("unterminated '${' (write '$${' for a literal '${')");
                    break;
                }

                var body = text.AsSpan(i + 2, close - i - 2);
                var value = Resolve(body, env, secret, problems);
                if (value is not null)
                {
                    result.Append(value);
                }

                i = close + 1;
            }
            else
            {
                result.Append(c);
                i++;
            }
        }

        return problems.Count == problemsBefore ? result.ToString() : null;
    }

    private static string? Resolve(ReadOnlySpan<char> body, Func<string, string?> env, bool secret, List<string> problems)
    {
        var separator = body.IndexOf(":-", StringComparison.Ordinal);
        var name = (separator < 0 ? body : body[..separator]).ToString();
        if (!IsValidName(name))
        {
            var quoted = secret ? "" : $" '${{{name}}}'";
            problems.Add($"invalid environment variable reference{quoted} (expected ${{NAME}} or ${{NAME:-default}})");
            return null;
        }

        var value = env(name);
        if (separator >= 0)
        {
            // Shell semantics of ":-": the default also applies when the variable is set but empty.
            return string.IsNullOrEmpty(value) ? body[(separator + 2)..].ToString() : value;
        }

        if (value is null)
        {
            problems.Add($"environment variable {name} is not set");
        }

        return value;
    }

    private static bool IsValidName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool At(string text, int index, string expected) =>
        index + expected.Length <= text.Length && string.CompareOrdinal(text, index, expected, 0, expected.Length) == 0;
}
