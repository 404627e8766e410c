namespace Switchboard.Config;

/// <summary>Provider type names in messages.</summary>
internal static class ProviderTypeNames
{
    /// <summary>"an anthropic", "a gemini or openai": the names joined with "or", after the article the first one takes.</summary>
    public static string WithArticle(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return "a matching";
        }

        var article = "aeiou".Contains(char.ToLowerInvariant(names[0][0]), StringComparison.Ordinal) ? "an" : "a";
        return $"{article} {string.Join(" or ", names)}";
    }
}
