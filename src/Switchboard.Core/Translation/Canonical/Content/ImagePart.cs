namespace Switchboard.Translation.Canonical;

/// <summary>
/// An image, either by <see cref="Url"/> (http/https, or a provider file URI) or inline as base64
/// <see cref="Data"/> with its <see cref="MediaType"/>. Exactly one of <see cref="Url"/> and
/// <see cref="Data"/> is set. Inline data stays base64 because every dialect carries it that way.
/// </summary>
public sealed record ImagePart : ContentPart
{
    public string? Url { get; init; }

    /// <summary>Base64 bytes (no <c>data:</c> prefix).</summary>
    public string? Data { get; init; }

    /// <summary>MIME type such as <c>image/png</c>; required with <see cref="Data"/>, optional with <see cref="Url"/>.</summary>
    public string? MediaType { get; init; }

    /// <summary>OpenAI fidelity hint <c>auto</c>/<c>low</c>/<c>high</c>; null = not given.</summary>
    public string? Detail { get; init; }

    public static ImagePart FromUrl(string url, string? detail = null) => new() { Url = url, Detail = detail };

    public static ImagePart FromData(string base64, string mediaType, string? detail = null) =>
        new() { Data = base64, MediaType = mediaType, Detail = detail };
}
