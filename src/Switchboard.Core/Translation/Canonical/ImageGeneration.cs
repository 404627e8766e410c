namespace Switchboard.Translation.Canonical;

/// <summary>
/// An image generation request in provider-neutral form (OpenAI's <c>POST /v1/images/generations</c> fields), for
/// upstreams that generate images through another API (Gemini <c>generateContent</c>, Imagen <c>:predict</c>).
/// Null members were not sent by the client.
/// </summary>
public sealed record ImageGenerationRequest
{
    public required string Prompt { get; init; }
    public int N { get; init; } = 1;
    /// <summary><c>WIDTHxHEIGHT</c> or <c>auto</c>.</summary>
    public string? Size { get; init; }
    public string? Quality { get; init; }
    /// <summary><c>url</c> or <c>b64_json</c>.</summary>
    public string? ResponseFormat { get; init; }
    /// <summary><c>png</c>, <c>jpeg</c> or <c>webp</c>.</summary>
    public string? OutputFormat { get; init; }
    public int? OutputCompression { get; init; }
    public string? Background { get; init; }
    public string? Style { get; init; }
    public string? Moderation { get; init; }
    public bool Stream { get; init; }
    public int? PartialImages { get; init; }
    public string? User { get; init; }
}

/// <summary>One generated image: its base64 bytes and media type (<c>image/png</c>).</summary>
public sealed record GeneratedImage(string Base64, string? MediaType);

/// <summary>Token counts of an image generation, where the upstream reports them; the input split by modality.</summary>
public sealed record ImageTokenUsage(int InputTokens, int OutputTokens, int? TextInputTokens, int? ImageInputTokens)
{
    public int TotalTokens => InputTokens + OutputTokens;
}

/// <summary>The images an upstream generated, and its token usage (null: not reported, as Imagen).</summary>
public sealed record ImageGenerationResult(IReadOnlyList<GeneratedImage> Images, ImageTokenUsage? Usage);
