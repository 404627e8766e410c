using System.Globalization;

namespace Switchboard.Core.Tests.Translation.Support;

/// <summary>
/// JSON equality by meaning: member order ignored, a member that is null equals one that is absent (as
/// the OpenAI API treats them), numbers compared by value. Documents are rendered to a canonical
/// indented text so a mismatch shows as a readable diff.
/// </summary>
public static class JsonSemantic
{
    private static readonly HashSet<string> DeltaTextMembers = ["content", "refusal", "reasoning_content"];

    public static void Equal(string expected, string actual) =>
        Assert.Equal(Canonical(expected), Canonical(actual));

    public static void Equal(byte[] expected, byte[] actual) =>
        Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));

    /// <param name="json">A JSON document.</param>
    /// <param name="emptyDeltaTextIsAbsent">Also treat <c>""</c> as absent for a stream delta's text
    /// members: <c>{"content": ""}</c>, <c>{"content": null}</c> and <c>{}</c> all add nothing.</param>
    public static string Canonical(string json, bool emptyDeltaTextIsAbsent = false)
    {
        using var document = JsonDocument.Parse(json);
        var builder = new StringBuilder();
        Render(document.RootElement, builder, 0, emptyDeltaTextIsAbsent, inDelta: false);
        return builder.ToString();
    }

    private static void Render(JsonElement element, StringBuilder builder, int depth, bool dropEmptyDeltaText, bool inDelta)
    {
        var indent = new string(' ', depth * 2);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = element.EnumerateObject()
                    .Where(p => p.Value.ValueKind != JsonValueKind.Null)
                    .Where(p => !(inDelta && dropEmptyDeltaText && DeltaTextMembers.Contains(p.Name)
                        && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length == 0))
                    .OrderBy(p => p.Name, StringComparer.Ordinal)
                    .ToList();
                builder.Append('{');
                foreach (var member in members)
                {
                    builder.Append('\n').Append(indent).Append("  ").Append(JsonSerializer.Serialize(member.Name)).Append(": ");
                    Render(member.Value, builder, depth + 1, dropEmptyDeltaText, member.Name == "delta");
                }
                builder.Append(members.Count > 0 ? "\n" + indent + "}" : "}");
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    builder.Append(first ? "\n" : ",\n").Append(indent).Append("  ");
                    Render(item, builder, depth + 1, dropEmptyDeltaText, inDelta: false);
                    first = false;
                }
                builder.Append(first ? "]" : "\n" + indent + "]");
                break;
            case JsonValueKind.Number:
                builder.Append(double.TryParse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? number.ToString("R", CultureInfo.InvariantCulture)
                    : element.GetRawText());
                break;
            case JsonValueKind.String:
                builder.Append(JsonSerializer.Serialize(element.GetString()));
                break;
            default:
                builder.Append(element.GetRawText());
                break;
        }
    }
}
