namespace Switchboard.Providers.Gemini;

/// <summary>MIME types for media Gemini must be told the type of (<c>fileData</c> needs one; URLs rarely say).</summary>
internal static class GeminiMediaTypes
{
    /// <summary>The type for a URL's or file name's extension (query and fragment ignored), or <paramref name="fallback"/>.</summary>
    public static string Guess(string? urlOrName, string fallback)
    {
        if (string.IsNullOrEmpty(urlOrName))
        {
            return fallback;
        }
        var path = urlOrName.AsSpan();
        var end = path.IndexOfAny('?', '#');
        if (end >= 0)
        {
            path = path[..end];
        }
        var dot = path.LastIndexOf('.');
        if (dot < 0 || dot < path.LastIndexOf('/'))
        {
            return fallback;
        }
        return path[(dot + 1)..].ToString().ToLowerInvariant() switch
        {
            "png" => "image/png",
            "jpg" or "jpeg" => "image/jpeg",
            "webp" => "image/webp",
            "gif" => "image/gif",
            "heic" => "image/heic",
            "heif" => "image/heif",
            "pdf" => "application/pdf",
            "txt" => "text/plain",
            "mp3" => "audio/mp3",
            "wav" => "audio/wav",
            "flac" => "audio/flac",
            "ogg" => "audio/ogg",
            "mp4" => "video/mp4",
            _ => fallback,
        };
    }

    /// <summary>The MIME type of an OpenAI <c>input_audio</c> format (<c>wav</c>, <c>mp3</c>, ...).</summary>
    public static string OfAudioFormat(string format) =>
        format.Contains('/', StringComparison.Ordinal) ? format : "audio/" + format.ToLowerInvariant();
}
