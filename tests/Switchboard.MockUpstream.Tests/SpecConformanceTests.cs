using System.Text.RegularExpressions;

namespace Switchboard.MockUpstream.Tests;

/// <summary>Keeps the mock's hard-coded parameter list in step with the official OpenAPI description.</summary>
public sealed partial class SpecConformanceTests
{
    internal static string? SpecPath()
    {
        string? fixtures = FixtureLocator.Find(null);
        string? path = fixtures is null ? null : Path.Combine(fixtures, "..", "specs", "openai-openapi.yaml");
        return path is not null && File.Exists(path) ? path : null;
    }

    [SpecFact]
    public void Chat_parameter_list_matches_the_spec()
    {
        var lines = File.ReadAllLines(SpecPath()!);
        var fromSpec = Properties(lines, "CreateChatCompletionRequest").ToHashSet(StringComparer.Ordinal);
        Assert.True(fromSpec.Count > 20, "spec parsing found too few properties");
        Assert.Equal(fromSpec.Order(StringComparer.Ordinal), ChatRequestValidator.KnownParameters.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Top-level property names of a component schema, following allOf $refs. A line-based reader is enough for
    /// this spec's layout (4-space schema names, properties one indent below "properties:").
    /// </summary>
    internal static IEnumerable<string> Properties(string[] lines, string schema)
    {
        int start = Array.IndexOf(lines, $"    {schema}:");
        Assert.True(start >= 0, $"schema {schema} not found");
        int end = start + 1;
        while (end < lines.Length && (lines[end].Length == 0 || lines[end].StartsWith("     ", StringComparison.Ordinal)))
        {
            end++;
        }
        var block = lines[(start + 1)..end];

        int allOfIndent = block.Select(Indent).Where((indent, i) => block[i].Trim() == "allOf:").DefaultIfEmpty(-1).Min();
        if (allOfIndent >= 0)
        {
            foreach (var line in block)
            {
                var m = RefItem().Match(line);
                if (m.Success && Indent(line) == allOfIndent + 2)
                {
                    foreach (var p in Properties(lines, m.Groups[1].Value))
                    {
                        yield return p;
                    }
                }
            }
        }

        int propsIndent = block.Select(Indent).Where((indent, i) => block[i].Trim() == "properties:").DefaultIfEmpty(-1).Min();
        if (propsIndent < 0)
        {
            yield break;
        }
        // Properties blocks of allOf items sit at the same (smallest) indentation; nested ones are deeper.
        foreach (var line in block)
        {
            var m = PropertyKey().Match(line);
            if (m.Success && Indent(line) == propsIndent + 2)
            {
                yield return m.Groups[1].Value;
            }
        }
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    [GeneratedRegex("^\\s*- \\$ref: \"#/components/schemas/([A-Za-z0-9_]+)\"")]
    private static partial Regex RefItem();

    [GeneratedRegex("^\\s*([a-z_][a-z0-9_]*):\\s*$")]
    private static partial Regex PropertyKey();
}

/// <summary>Skips when the OpenAPI description (../shared/specs/openai-openapi.yaml) is not next to the checkout.</summary>
public sealed class SpecFactAttribute : FactAttribute
{
    public SpecFactAttribute()
    {
        if (SpecConformanceTests.SpecPath() is null)
        {
            Skip = "shared/specs/openai-openapi.yaml not found next to the checkout";
        }
    }
}
