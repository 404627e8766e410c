using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// An OpenAI image generation request as Google's image APIs take it: <c>generateContent</c> with
/// <c>responseModalities: ["IMAGE"]</c> for Gemini's image models, <c>:predict</c> (<c>instances[].prompt</c>,
/// <c>parameters.sampleCount</c>) for Imagen. <c>size</c> becomes an aspect ratio (the resolution is the model's);
/// <c>quality</c> and <c>user</c> have no counterpart and are not sent; what would change the images the client gets
/// and cannot be said (more images than the model makes, a transparent background, a style, a format) is refused
/// naming the field.
/// </summary>
public static class GeminiImageRequestWriter
{
    private static readonly string[] GeminiRatios = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];
    private static readonly string[] ImagenRatios = ["1:1", "3:4", "4:3", "9:16", "16:9"];
    private const int MaxImagenImages = 4;
    private const string Unsupported = "unsupported_by_provider";

    /// <summary>True for Imagen models (<c>imagen-4.0-generate-001</c>), which generate through <c>:predict</c>.</summary>
    public static bool IsImagen(string upstreamModel) =>
        upstreamModel.AsSpan(upstreamModel.LastIndexOf('/') + 1).StartsWith("imagen", StringComparison.OrdinalIgnoreCase);

    public static ValidationError? Write(ImageGenerationRequest request, string upstreamModel, IBufferWriter<byte> body)
    {
        var imagen = IsImagen(upstreamModel);
        if (CheckCommon(request, upstreamModel) is { } refused) return refused;
        if (AspectRatio(request.Size, imagen ? ImagenRatios : GeminiRatios, upstreamModel, out var ratio) is { } badSize) return badSize;
        string? mimeType = null;
        if (request.OutputFormat is { } format)
        {
            mimeType = format switch { "png" => "image/png", "jpeg" => "image/jpeg", _ => null };
            if (!imagen || mimeType is null)
            {
                return new ValidationError("output_format", imagen
                    ? $"'output_format: {format}' is not supported by '{upstreamModel}': use png or jpeg."
                    : $"'output_format' is not supported by '{upstreamModel}': Gemini image models choose their own format (the answer's output_format says which).", Unsupported);
            }
        }
        if (request.OutputCompression is not null && mimeType != "image/jpeg")
        {
            return new ValidationError("output_compression", $"'output_compression' applies only to output_format jpeg on '{upstreamModel}'.", Unsupported);
        }
        if (imagen && request.N > MaxImagenImages)
        {
            return new ValidationError("n", $"'{upstreamModel}' generates at most {MaxImagenImages} images per request; got n = {request.N}.", Unsupported);
        }
        if (!imagen && request.N > 1)
        {
            return new ValidationError("n", $"'{upstreamModel}' generates one image per request; got n = {request.N}. Send one request per image.", Unsupported);
        }

        using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        if (imagen) WriteImagen(writer, request, ratio, mimeType);
        else WriteGenerateContent(writer, request, ratio);
        writer.WriteEndObject();
        return null;
    }

    private static void WriteGenerateContent(Utf8JsonWriter writer, ImageGenerationRequest request, string? ratio)
    {
        writer.WriteStartArray("contents"u8);
        writer.WriteStartObject();
        writer.WriteString("role"u8, "user"u8);
        writer.WriteStartArray("parts"u8);
        writer.WriteStartObject();
        writer.WriteString("text"u8, request.Prompt);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("generationConfig"u8);
        writer.WriteStartArray("responseModalities"u8);
        writer.WriteStringValue("IMAGE"u8);
        writer.WriteEndArray();
        if (ratio is not null)
        {
            writer.WriteStartObject("imageConfig"u8);
            writer.WriteString("aspectRatio"u8, ratio);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteImagen(Utf8JsonWriter writer, ImageGenerationRequest request, string? ratio, string? mimeType)
    {
        writer.WriteStartArray("instances"u8);
        writer.WriteStartObject();
        writer.WriteString("prompt"u8, request.Prompt);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("parameters"u8);
        writer.WriteNumber("sampleCount"u8, request.N);
        if (ratio is not null) writer.WriteString("aspectRatio"u8, ratio);
        if (mimeType is not null)
        {
            writer.WriteStartObject("outputOptions"u8);
            writer.WriteString("mimeType"u8, mimeType);
            if (request.OutputCompression is { } quality) writer.WriteNumber("compressionQuality"u8, quality);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>Fields only OpenAI's models act on, refused rather than silently ignored.</summary>
    private static ValidationError? CheckCommon(ImageGenerationRequest request, string model)
    {
        if (request.Background is "transparent")
        {
            return new ValidationError("background", $"'background: transparent' is not supported by '{model}'.", Unsupported);
        }
        if (request.Background is { } background && background is not ("opaque" or "auto"))
        {
            return new ValidationError("background", $"Invalid value: '{background}'. Supported values are: 'transparent', 'opaque' and 'auto'.");
        }
        if (request.Style is not null)
        {
            return new ValidationError("style", $"'style' is not supported by '{model}' (it is a dall-e-3 setting).", Unsupported);
        }
        if (request.Moderation is { } moderation && moderation != "auto")
        {
            return new ValidationError("moderation", $"'moderation: {moderation}' is not supported by '{model}': Google's own safety filters apply.", Unsupported);
        }
        return null;
    }

    /// <summary><c>WIDTHxHEIGHT</c> as the model's aspect ratio; <c>auto</c> or none: the model's default.</summary>
    private static ValidationError? AspectRatio(string? size, string[] supported, string model, out string? ratio)
    {
        ratio = null;
        if (size is null or "auto") return null;
        // dall-e-3's wide sizes (7:4) are closest to 16:9; the other OpenAI sizes are exact ratios.
        var candidate = size switch
        {
            "1792x1024" => "16:9",
            "1024x1792" => "9:16",
            _ => ReducedRatio(size),
        };
        if (candidate is not null && Array.IndexOf(supported, candidate) >= 0)
        {
            ratio = candidate;
            return null;
        }
        return new ValidationError("size",
            $"Size '{size}' is not supported by '{model}': it generates aspect ratios {string.Join(", ", supported)} (e.g. 1024x1024, 1536x1024, 1024x1536) or auto.",
            candidate is null ? ValidationError.InvalidValue : Unsupported);
    }

    private static string? ReducedRatio(string size)
    {
        var x = size.IndexOf('x', StringComparison.Ordinal);
        if (x <= 0 || !int.TryParse(size.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(size.AsSpan(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var height) || width <= 0 || height <= 0)
        {
            return null;
        }
        var divisor = Gcd(width, height);
        return $"{width / divisor}:{height / divisor}";
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
