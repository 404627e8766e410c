namespace Switchboard.Providers.Gemini;

/// <summary><c>type: gemini</c>: Google Gemini <c>generateContent</c>.</summary>
public static class GeminiProviderType
{
    public static ProviderTypeRegistration Registration { get; } = new()
    {
        Name = "gemini",
        CreateProtocol = config => new GeminiProtocol(config),
        // Gemini fetches no http(s) URLs (fileData takes only its own File API URIs): the gateway fetches them.
        FetchesRemoteImages = false,
    };
}
