namespace Switchboard.Translation.Canonical;

/// <summary>
/// A document (PDF and the like): by provider <see cref="FileId"/>, by <see cref="Url"/>, or inline as
/// base64 <see cref="Data"/> with an optional <see cref="MediaType"/>. Anthropic <c>document</c> blocks
/// and Gemini <c>inlineData</c>/<c>fileData</c> map here.
/// </summary>
public sealed record FilePart : ContentPart
{
    public string? FileId { get; init; }

    public string? Url { get; init; }

    /// <summary>Base64 bytes (no <c>data:</c> prefix).</summary>
    public string? Data { get; init; }

    public string? MediaType { get; init; }

    public string? Filename { get; init; }
}
