namespace Switchboard.MockUpstream.Anthropic;

/// <summary>The Claude models the mock serves, with their output limits; anything else is the API's 404.</summary>
internal static class AnthropicModels
{
    private static readonly (string Id, int MaxOutput)[] Known =
    [
        ("claude-opus-4-1", 32_000),
        ("claude-opus-4-5", 64_000),
        ("claude-opus-4-8", 128_000),
        ("claude-sonnet-4-5", 64_000),
        ("claude-sonnet-4-6", 64_000),
        ("claude-haiku-4-5", 64_000),
        ("claude-3-5-haiku-latest", 8_192),
    ];

    /// <summary>
    /// The model's maximum max_tokens, or null when the model does not exist. Dated snapshots of a known alias
    /// (<c>claude-sonnet-4-5-20250929</c>) and any <c>mock-*</c> id are accepted too.
    /// </summary>
    public static int? MaxOutput(string model)
    {
        foreach (var (id, max) in Known)
        {
            if (model == id || (model.StartsWith(id + "-", StringComparison.Ordinal) && IsDate(model.AsSpan(id.Length + 1))))
            {
                return max;
            }
        }
        return model.StartsWith(ModelCatalog.MockPrefix, StringComparison.Ordinal) && model.Length > ModelCatalog.MockPrefix.Length
            ? 128_000
            : null;
    }

    /// <summary>Whether the model takes mid-conversation <c>role: system</c> messages (Claude Opus 4.8 and later).</summary>
    public static bool HasMidConversationSystem(string model) =>
        model.StartsWith("claude-opus-4-8", StringComparison.Ordinal) || model.StartsWith(ModelCatalog.MockPrefix, StringComparison.Ordinal);

    /// <summary>Whether the model refuses <c>temperature</c> together with <c>top_p</c> (Claude Opus 4.1 and every later model).</summary>
    public static bool RefusesTemperatureWithTopP(string model) =>
        !model.StartsWith("claude-3", StringComparison.Ordinal) && !model.StartsWith(ModelCatalog.MockPrefix, StringComparison.Ordinal);

    private static bool IsDate(ReadOnlySpan<char> s) => s.Length == 8 && !s.ContainsAnyExceptInRange('0', '9');
}
