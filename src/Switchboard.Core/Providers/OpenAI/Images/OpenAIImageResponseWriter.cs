using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Images;

/// <summary>
/// Writes an OpenAI Images answer (<c>ImagesResponse</c>) for images another API generated: <c>created</c>,
/// <c>data[].b64_json</c>, <c>output_format</c> from the images' media type, and <c>usage</c> where the upstream
/// reported tokens (gpt-image's shape: input with its text/image split, output, total).
/// </summary>
public static class OpenAIImageResponseWriter
{
    public static void Write(ImageGenerationResult result, long created, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteNumber("created"u8, created);
        writer.WriteStartArray("data"u8);
        foreach (var image in result.Images)
        {
            writer.WriteStartObject();
            writer.WriteString("b64_json"u8, image.Base64);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (result.Images.Count > 0 && OutputFormat(result.Images[0].MediaType) is { } format) writer.WriteString("output_format"u8, format);
        if (result.Usage is { } usage)
        {
            writer.WriteStartObject("usage"u8);
            writer.WriteNumber("input_tokens"u8, usage.InputTokens);
            writer.WriteStartObject("input_tokens_details"u8);
            writer.WriteNumber("text_tokens"u8, usage.TextInputTokens ?? usage.InputTokens - (usage.ImageInputTokens ?? 0));
            writer.WriteNumber("image_tokens"u8, usage.ImageInputTokens ?? 0);
            writer.WriteEndObject();
            writer.WriteNumber("output_tokens"u8, usage.OutputTokens);
            writer.WriteNumber("total_tokens"u8, usage.TotalTokens);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>OpenAI's <c>output_format</c> name of a media type; null for one it has no name for.</summary>
    public static string? OutputFormat(string? mediaType) => mediaType switch
    {
        "image/png" => "png",
        "image/jpeg" => "jpeg",
        "image/webp" => "webp",
        _ => null,
    };
}
