using System.Text.Json;
using Switchboard.MockUpstream.Images;

namespace Switchboard.MockUpstream.Gemini;

/// <summary>
/// Google's image generation: <c>generateContent</c> on Gemini's image models (an <c>inlineData</c> part per image,
/// usage by modality; a prompt containing <c>[no-image]</c> gets the model's <c>NO_IMAGE</c> answer) and Imagen's
/// <c>:predict</c> (<c>instances[].prompt</c>, <c>parameters</c>), each validated as the API does: unknown names,
/// aspect ratios, image sizes and sample counts the model does not take are INVALID_ARGUMENT.
/// </summary>
internal static class GeminiImageEndpoint
{
    private static readonly string[] GeminiImageModels = ["gemini-2.5-flash-image", "gemini-3-pro-image-preview"];
    private static readonly string[] ImagenModels = ["imagen-4.0-generate-001", "imagen-4.0-ultra-generate-001", "imagen-4.0-fast-generate-001", "imagen-3.0-generate-002"];
    private static readonly string[] GeminiRatios = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];
    private static readonly string[] ImagenRatios = ["1:1", "3:4", "4:3", "9:16", "16:9"];
    private static readonly string[] ParameterNames =
    [
        "sampleCount", "aspectRatio", "personGeneration", "outputOptions", "sampleImageSize", "imageSize", "enhancePrompt", "addWatermark",
        "includeRaiReason", "includeSafetyAttributes", "safetySetting", "seed", "language", "guidanceScale",
    ];

    public static bool IsImageModel(string model) => Array.IndexOf(GeminiImageModels, model) >= 0;

    /// <summary><c>generateContent</c> on an image model.</summary>
    public static async Task GenerateAsync(ApiRequest api, string model)
    {
        using var doc = Parse(api.Body, out var error);
        error ??= ProtoParser.Check(doc!.RootElement) ?? CheckGenerate(doc!.RootElement, model);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(api.Http, error);
            return;
        }
        var text = LastText(doc!.RootElement);
        GeminiErrors.AddHeaders(api.Http);
        await HttpHelpers.WriteJsonAsync(api.Http, 200, (model, text), static (w, s) => WriteGenerated(w, s.model, s.text), GeminiErrors.JsonContentType);
    }

    private static ApiError? CheckGenerate(JsonElement root, string model)
    {
        if (!root.TryGetProperty("generationConfig", out var config)) return null;
        if (config.TryGetProperty("responseModalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array
            && !modalities.EnumerateArray().Any(m => m.GetString() == "IMAGE"))
        {
            return GeminiErrors.InvalidArgument("The requested combination of response modalities is not supported by the model.");
        }
        if (config.TryGetProperty("candidateCount", out var count) && count.ValueKind == JsonValueKind.Number && count.GetInt32() > 1)
        {
            return GeminiErrors.InvalidArgument($"Multiple candidates is not enabled for models/{model}");
        }
        if (config.TryGetProperty("imageConfig", out var image))
        {
            if (image.TryGetProperty("aspectRatio", out var ratio) && Array.IndexOf(GeminiRatios, ratio.GetString()) < 0)
            {
                return GeminiErrors.InvalidArgument($"Unsupported aspect ratio: {ratio.GetString()}. Supported values are: {string.Join(", ", GeminiRatios)}.");
            }
            if (image.TryGetProperty("imageSize", out var size) && (model != "gemini-3-pro-image-preview" || size.GetString() is not ("1K" or "2K" or "4K")))
            {
                return GeminiErrors.InvalidArgument($"Image size {size.GetString()} is not supported by models/{model}.");
            }
        }
        return null;
    }

    private static string LastText(JsonElement root)
    {
        var text = "";
        if (!root.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array) return text;
        foreach (var content in contents.EnumerateArray())
        {
            if (!content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array) continue;
            foreach (var part in parts.EnumerateArray())
            {
                if (part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String) text = t.GetString()!;
            }
        }
        return text;
    }

    private static void WriteGenerated(Utf8JsonWriter w, string model, string prompt)
    {
        var promptTokens = Math.Max(1, prompt.Length / 4);
        var refused = prompt.Contains("[no-image]", StringComparison.Ordinal);
        w.WriteStartObject();
        w.WriteStartArray("candidates");
        w.WriteStartObject();
        w.WriteStartObject("content");
        if (!refused)
        {
            w.WriteStartArray("parts");
            w.WriteStartObject();
            w.WriteStartObject("inlineData");
            w.WriteString("mimeType", "image/png");
            w.WriteString("data", ImageModels.PixelPng);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("role", "model");
        }
        w.WriteEndObject();
        w.WriteString("finishReason", refused ? "NO_IMAGE" : "STOP");
        w.WriteNumber("index", 0);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("usageMetadata");
        w.WriteNumber("promptTokenCount", promptTokens);
        if (!refused) w.WriteNumber("candidatesTokenCount", 1290);
        w.WriteNumber("totalTokenCount", promptTokens + (refused ? 0 : 1290));
        w.WriteStartArray("promptTokensDetails");
        w.WriteStartObject();
        w.WriteString("modality", "TEXT");
        w.WriteNumber("tokenCount", promptTokens);
        w.WriteEndObject();
        w.WriteEndArray();
        if (!refused)
        {
            w.WriteStartArray("candidatesTokensDetails");
            w.WriteStartObject();
            w.WriteString("modality", "IMAGE");
            w.WriteNumber("tokenCount", 1290);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteString("modelVersion", model);
        w.WriteString("responseId", HttpHelpers.NewId("", 22));
        w.WriteEndObject();
    }

    /// <summary>Imagen's <c>POST models/{model}:predict</c>.</summary>
    public static async Task PredictAsync(ApiRequest api, string model)
    {
        using var doc = Parse(api.Body, out var error);
        int samples = 1;
        string mime = "image/png";
        error ??= CheckPredict(doc!.RootElement, model, out samples, out mime);
        if (error is not null)
        {
            await HttpHelpers.WriteErrorAsync(api.Http, error);
            return;
        }
        GeminiErrors.AddHeaders(api.Http);
        await HttpHelpers.WriteJsonAsync(api.Http, 200, (samples, mime), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("predictions");
            for (int i = 0; i < s.samples; i++)
            {
                w.WriteStartObject();
                w.WriteString("mimeType", s.mime);
                w.WriteString("bytesBase64Encoded", ImageModels.PixelPng);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, GeminiErrors.JsonContentType);
    }

    private static ApiError? CheckPredict(JsonElement root, string model, out int samples, out string mime)
    {
        samples = 1;
        mime = "image/png";
        foreach (var member in root.EnumerateObject())
        {
            if (member.Name is not ("instances" or "parameters"))
            {
                return GeminiErrors.InvalidArgument($"Invalid JSON payload received. Unknown name \"{member.Name}\": Cannot find field.");
            }
        }
        if (Array.IndexOf(ImagenModels, model) < 0)
        {
            return GeminiErrors.Error(404, "NOT_FOUND", $"models/{model} is not found for API version v1beta, or is not supported for predict. Call ListModels to see the list of available models and their supported methods.");
        }
        if (!root.TryGetProperty("instances", out var instances) || instances.ValueKind != JsonValueKind.Array || instances.GetArrayLength() != 1)
        {
            return GeminiErrors.InvalidArgument("Exactly one instance is required.");
        }
        var instance = instances[0];
        if (!instance.TryGetProperty("prompt", out var prompt) || prompt.ValueKind != JsonValueKind.String || prompt.GetString()!.Length == 0)
        {
            return GeminiErrors.InvalidArgument("The prompt is required and must be a non-empty string.");
        }
        foreach (var member in instance.EnumerateObject())
        {
            if (member.Name is not ("prompt" or "image" or "mask"))
            {
                return GeminiErrors.InvalidArgument($"Invalid JSON payload received. Unknown name \"{member.Name}\" at 'instances[0]': Cannot find field.");
            }
        }
        if (!root.TryGetProperty("parameters", out var parameters)) return null;
        foreach (var member in parameters.EnumerateObject())
        {
            if (Array.IndexOf(ParameterNames, member.Name) < 0)
            {
                return GeminiErrors.InvalidArgument($"Invalid JSON payload received. Unknown name \"{member.Name}\" at 'parameters': Cannot find field.");
            }
        }
        if (parameters.TryGetProperty("sampleCount", out var count))
        {
            if (count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out samples) || samples is < 1 or > 4)
            {
                return GeminiErrors.InvalidArgument($"sampleCount must be between 1 and 4, got {count.GetRawText()}.");
            }
        }
        if (parameters.TryGetProperty("aspectRatio", out var ratio) && Array.IndexOf(ImagenRatios, ratio.GetString()) < 0)
        {
            return GeminiErrors.InvalidArgument($"Unsupported aspect ratio: {ratio.GetRawText()}. Supported values are: {string.Join(", ", ImagenRatios)}.");
        }
        if (parameters.TryGetProperty("outputOptions", out var output))
        {
            if (output.TryGetProperty("mimeType", out var m))
            {
                mime = m.GetString() ?? "";
                if (mime is not ("image/png" or "image/jpeg")) return GeminiErrors.InvalidArgument($"Unsupported output mime type: {mime}.");
            }
            if (output.TryGetProperty("compressionQuality", out var q) && (!q.TryGetInt32(out var quality) || quality is < 0 or > 100))
            {
                return GeminiErrors.InvalidArgument("compressionQuality must be between 0 and 100.");
            }
        }
        return null;
    }

    private static JsonDocument? Parse(byte[] body, out ApiError? error)
    {
        error = null;
        try
        {
            var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
            doc.Dispose();
        }
        catch (JsonException)
        {
        }
        error = GeminiErrors.InvalidArgument("Invalid JSON payload received. Expected an object.");
        return JsonDocument.Parse("{}");
    }
}
