using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>
/// Reads typed values out of YAML nodes, expanding environment variables and recording every problem
/// as a <see cref="ConfigError"/> with file, line, column and key path. Readers never throw: on a bad
/// value they record an error and return null, so one pass finds all mistakes in a file.
/// </summary>
internal sealed class YamlNodeReader(string file, Func<string, string?> env)
{
    // Longer values are cut in messages: the point is to recognise the value, not to reprint it.
    private const int MaxQuotedLength = 60;

    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    public void Error(YamlNode node, string path, string message) => Error(node.Start, path, message);

    public void Error(Mark mark, string path, string message) =>
        _errors.Add(new ConfigError(file, checked((int)mark.Line), checked((int)mark.Column), path, message));

    /// <summary>YAML's null: an empty plain value, <c>~</c> or <c>null</c>. Treated as "not set".</summary>
    public static bool IsNull(YamlNode? node) =>
        node is null
        || node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
            && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>
    /// The entries of a mapping whose keys are plain strings. Reports non-mapping nodes, non-scalar keys and,
    /// when <paramref name="allowed"/> is given, unknown keys. YAML null counts as an empty mapping.
    /// Returns null only when the node is not a mapping.
    /// </summary>
    public List<MappingEntry>? Entries(YamlNode node, string path, IReadOnlyList<string>? allowed = null)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(node, path, $"expected a mapping, got {Describe(node)}");
            return null;
        }

        var entries = new List<MappingEntry>(mapping.Children.Count);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                Error(keyNode, path, "keys must be plain strings");
                continue;
            }

            var keyPath = KeyPath.Join(path, key);
            if (allowed is not null && !allowed.Contains(key, StringComparer.Ordinal))
            {
                Error(keyNode, keyPath, $"unknown key '{key}' (allowed: {string.Join(", ", allowed)})");
                continue;
            }

            entries.Add(new MappingEntry(key, scalarKey, value, keyPath));
        }

        return entries;
    }

    /// <summary>A mapping with a fixed set of keys, for direct lookup by key. Null when the node is not a mapping.</summary>
    public MappingFields? Fields(YamlNode node, string path, IReadOnlyList<string> allowed)
    {
        var entries = Entries(node, path, allowed);
        return entries is null ? null : new MappingFields(node, path, entries);
    }

    /// <summary>
    /// The items of a list, each with its indexed path. YAML null is an empty list. With
    /// <paramref name="singleAllowed"/>, a lone non-list value counts as a one-element list
    /// (so <c>models: gpt-4o</c> and <c>gpt-4o: {provider: ...}</c> work without brackets).
    /// Returns null only when the node is the wrong kind.
    /// </summary>
    public List<(YamlNode Node, string Path)>? Items(YamlNode node, string path, bool singleAllowed)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is YamlSequenceNode sequence)
        {
            return [.. sequence.Children.Select((item, i) => (item, KeyPath.Index(path, i)))];
        }

        if (singleAllowed)
        {
            return [(node, path)];
        }

        Error(node, path, $"expected a list, got {Describe(node)}");
        return null;
    }

    /// <summary>
    /// A scalar's text with environment variables expanded. Null when the node is absent or YAML null,
    /// or on error (recorded). Non-scalars are type errors; the value itself is never quoted, because
    /// this is also how secrets are read.
    /// </summary>
    public string? Text(YamlNode? node, string path, bool secret = false)
    {
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Error(node, path, $"expected a string, got {Describe(node)}");
            return null;
        }

        var problems = new List<string>();
        var text = EnvInterpolator.Expand(scalar.Value ?? "", env, secret, problems);
        foreach (var problem in problems)
        {
            Error(node, path, problem);
        }

        return text;
    }

    /// <summary>
    /// A required, non-empty string field. Reports a missing key at the enclosing mapping and an empty
    /// value at the value itself. Returns null on any problem.
    /// </summary>
    public string? RequiredText(MappingFields fields, string key, bool secret = false)
    {
        var node = fields.Get(key);
        if (node is null)
        {
            Error(fields.Node, fields.Path, $"missing required key '{key}'");
            return null;
        }

        var errorsBefore = _errors.Count;
        var text = Text(node, fields.PathOf(key), secret);
        if (string.IsNullOrEmpty(text) && _errors.Count == errorsBefore)
        {
            Error(node, fields.PathOf(key), "must not be empty");
        }

        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>]; null when absent or invalid.</summary>
    public int? Int(YamlNode? node, string path, int min = 1, int max = int.MaxValue)
    {
        var text = NonSecretScalar(node, path, "a number");
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            var kind = TryParseDecimal(text, out _) ? "a whole number" : "a number";
            Error(node!, path, $"expected {kind}, got {Quote(text)}");
            return null;
        }

        if (value < min || value > max)
        {
            var range = min == 1 && max == int.MaxValue ? "must be a positive whole number" : $"must be between {min} and {max}";
            Error(node!, path, $"{range}, got {Quote(text)}");
            return null;
        }

        return (int)value;
    }

    /// <summary>A non-negative decimal (prices, budgets); null when absent or invalid.</summary>
    public decimal? NonNegativeDecimal(YamlNode? node, string path)
    {
        var text = NonSecretScalar(node, path, "a number");
        if (text is null)
        {
            return null;
        }

        if (!TryParseDecimal(text, out var value))
        {
            Error(node!, path, $"expected a number, got {Quote(text)}");
            return null;
        }

        if (value < 0)
        {
            Error(node!, path, $"must not be negative, got {Quote(text)}");
            return null;
        }

        return value;
    }

    /// <summary>A positive duration of at most a day; null when absent or invalid.</summary>
    public TimeSpan? Duration(YamlNode? node, string path)
    {
        var text = NonSecretScalar(node, path, "a duration");
        if (text is null)
        {
            return null;
        }

        if (!DurationParser.TryParse(text, out var value))
        {
            Error(node!, path, $"expected a duration like 10s, 500ms, 2m or a number of seconds, got {Quote(text)}");
            return null;
        }

        // Zero would mean "fail at once"; beyond a day is surely a unit typo (and HttpClient caps timeouts anyway).
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            Error(node!, path, $"must be more than 0 and at most 24h, got {Quote(text)}");
            return null;
        }

        return value;
    }

    /// <summary>One of a fixed set of words; null when absent or invalid.</summary>
    public string? OneOf(YamlNode? node, string path, IReadOnlyList<string> allowed, string what)
    {
        var text = NonSecretScalar(node, path, "a string");
        if (text is null)
        {
            return null;
        }

        if (!allowed.Contains(text, StringComparer.Ordinal))
        {
            Error(node!, path, $"unknown {what} {Quote(text)} (allowed: {string.Join(", ", allowed)})");
            return null;
        }

        return text;
    }

    /// <summary>
    /// Quotes a (non-secret) value for a message, shortened when long. Only ever called with values of
    /// fields that are not secrets.
    /// </summary>
    public static string Quote(string value) =>
        value.Length <= MaxQuotedLength ? $"'{value}'" : $"'{value[..MaxQuotedLength]}...'";

    /// <summary>"a mapping", "a list" or "a string": what a node is, without its content.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a string",
    };

    private string? NonSecretScalar(YamlNode? node, string path, string expected)
    {
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode)
        {
            Error(node, path, $"expected {expected}, got {Describe(node)}");
            return null;
        }

        return Text(node, path)?.Trim();
    }

    private static bool TryParseDecimal(string text, out decimal value) =>
        decimal.TryParse(
            text,
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture,
            out value);
}

/// <summary>One key/value pair of a YAML mapping, with the key's path for messages.</summary>
internal readonly record struct MappingEntry(string Key, YamlScalarNode KeyNode, YamlNode Value, string Path);

/// <summary>A mapping with known keys (already checked against the allowed list), for lookup by key.</summary>
internal sealed class MappingFields(YamlNode node, string path, List<MappingEntry> entries)
{
    private readonly Dictionary<string, YamlNode> _values =
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>The mapping node itself: missing-key errors point here.</summary>
    public YamlNode Node { get; } = node;

    public string Path { get; } = path;

    public YamlNode? Get(string key) => _values.GetValueOrDefault(key);

    public string PathOf(string key) => KeyPath.Join(Path, key);
}
