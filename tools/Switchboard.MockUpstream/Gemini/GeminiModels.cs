namespace Switchboard.MockUpstream.Gemini;

/// <summary>How a model thinks: always (Pro, 3.x), by default but can be turned off (Flash), or only when asked (Flash-Lite, mock-*).</summary>
internal enum ThinkingDefault
{
    Always,
    OnByDefault,
    OffByDefault,
}

/// <summary>The Gemini models the mock serves; anything else is the API's 404.</summary>
internal static class GeminiModels
{
    private static readonly (string Id, ThinkingDefault Thinking)[] Known =
    [
        ("gemini-2.5-pro", ThinkingDefault.Always),
        ("gemini-2.5-flash", ThinkingDefault.OnByDefault),
        ("gemini-2.5-flash-lite", ThinkingDefault.OffByDefault),
        ("gemini-3-pro-preview", ThinkingDefault.Always),
    ];

    /// <summary>The model's thinking behaviour, or null when it does not exist. A <c>models/</c> prefix is tolerated.</summary>
    public static ThinkingDefault? Find(string model)
    {
        foreach (var (id, thinking) in Known)
        {
            if (model == id)
            {
                return thinking;
            }
        }
        return model.StartsWith(ModelCatalog.MockPrefix, StringComparison.Ordinal) && model.Length > ModelCatalog.MockPrefix.Length
            ? ThinkingDefault.OffByDefault
            : null;
    }
}
