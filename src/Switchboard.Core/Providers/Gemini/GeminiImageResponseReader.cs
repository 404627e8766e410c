using System.Text.Json;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// The images in a Google answer: <c>generateContent</c>'s <c>inlineData</c> parts (thought parts skipped; usage from
/// <c>usageMetadata</c>, image input tokens from <c>promptTokensDetails</c>) or Imagen's
/// <c>predictions[].bytesBase64Encoded</c> (no usage). An answer without an image is the model declining
/// (<c>finishReason</c> such as <c>NO_IMAGE</c> or <c>IMAGE_SAFETY</c>, a blocked prompt, Imagen's
/// <c>raiFilteredReason</c>): a content-policy error carrying Google's reason.
/// </summary>
public static class GeminiImageResponseReader
{
    public static ReadResult<ImageGenerationResult> Read(ReadOnlySpan<byte> json, string upstreamModel)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new ValidationError(null, "The answer is not a JSON object.", ValidationError.InvalidType);
            return GeminiImageRequestWriter.IsImagen(upstreamModel) ? ReadPredictions(root) : ReadCandidates(root);
        }
        catch (JsonException ex)
        {
            return new ValidationError(null, $"The answer is not valid JSON: {ex.Message}", ValidationError.InvalidJson);
        }
    }

    private static ReadResult<ImageGenerationResult> ReadCandidates(JsonElement root)
    {
        var images = new List<GeneratedImage>();
        string? reason = null, text = null;
        if (root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
        {
            foreach (var candidate in candidates.EnumerateArray())
            {
                if (candidate.TryGetProperty("finishReason", out var finish) && finish.ValueKind == JsonValueKind.String) reason ??= finish.GetString();
                if (!candidate.TryGetProperty("content", out var content) || !content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array) continue;
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True) continue;
                    if (part.TryGetProperty("inlineData", out var data) && data.TryGetProperty("data", out var bytes) && bytes.ValueKind == JsonValueKind.String)
                    {
                        images.Add(new GeneratedImage(bytes.GetString()!, data.TryGetProperty("mimeType", out var mime) ? mime.GetString() : null));
                    }
                    else if (part.TryGetProperty("text", out var said) && said.ValueKind == JsonValueKind.String) text ??= said.GetString();
                }
            }
        }
        if (root.TryGetProperty("promptFeedback", out var feedback) && feedback.TryGetProperty("blockReason", out var block)) reason = block.GetString();
        if (images.Count == 0)
        {
            return new ValidationError(null, $"The model generated no image (Google's reason: {reason ?? "none given"})"
                + (text is null ? "." : $"; it said: {text}"), ValidationError.ContentPolicy);
        }
        return new ImageGenerationResult(images, ReadUsage(root));
    }

    private static ImageTokenUsage? ReadUsage(JsonElement root)
    {
        if (!root.TryGetProperty("usageMetadata", out var usage) || usage.ValueKind != JsonValueKind.Object) return null;
        var prompt = Count(usage, "promptTokenCount");
        var output = Count(usage, "candidatesTokenCount") + Count(usage, "thoughtsTokenCount");
        int text = 0, image = 0;
        var split = usage.TryGetProperty("promptTokensDetails", out var details) && details.ValueKind == JsonValueKind.Array;
        if (split)
        {
            foreach (var detail in details.EnumerateArray())
            {
                var modality = detail.TryGetProperty("modality", out var m) ? m.GetString() : null;
                if (modality == "IMAGE") image += Count(detail, "tokenCount");
                else if (modality == "TEXT") text += Count(detail, "tokenCount");
            }
        }
        return new ImageTokenUsage(prompt, output, split ? text : null, split ? image : null);
    }

    private static int Count(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) ? count : 0;

    private static ReadResult<ImageGenerationResult> ReadPredictions(JsonElement root)
    {
        var images = new List<GeneratedImage>();
        string? filtered = null;
        if (root.TryGetProperty("predictions", out var predictions) && predictions.ValueKind == JsonValueKind.Array)
        {
            foreach (var prediction in predictions.EnumerateArray())
            {
                if (prediction.TryGetProperty("bytesBase64Encoded", out var bytes) && bytes.ValueKind == JsonValueKind.String)
                {
                    images.Add(new GeneratedImage(bytes.GetString()!, prediction.TryGetProperty("mimeType", out var mime) ? mime.GetString() : null));
                }
                else if (prediction.TryGetProperty("raiFilteredReason", out var reason)) filtered ??= reason.GetString();
            }
        }
        if (images.Count == 0)
        {
            return new ValidationError(null, $"The model generated no image (Google's reason: {filtered ?? "none given"}).", ValidationError.ContentPolicy);
        }
        return new ImageGenerationResult(images, null);
    }
}
