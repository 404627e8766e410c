using System.Collections.Frozen;
using System.Text.Json;

namespace Switchboard.MockUpstream.Images;

/// <summary>A validated image generation request.</summary>
internal sealed record ImageJob(ImageModel Model, string Prompt, int N, string Size, string Quality, bool Url, string? OutputFormat, bool Stream, int PartialImages);

/// <summary>
/// <c>POST /v1/images/generations</c> (and Azure's deployment path): validated per model as the API does (sizes,
/// qualities, n, fields only gpt-image or only DALL·E take), answered with 1×1 PNGs; gpt-image reports
/// <c>usage</c> and streams <c>image_generation.partial_image</c> / <c>image_generation.completed</c> events.
/// </summary>
internal static class ImagesEndpoint
{
    private static readonly FrozenSet<string> Known = FrozenSet.ToFrozenSet(
    [
        "model", "prompt", "n", "size", "quality", "response_format", "output_format", "output_compression", "background",
        "style", "moderation", "stream", "partial_images", "user",
    ]);
    private static readonly string[] GptOnly = ["output_format", "output_compression", "background", "moderation", "stream", "partial_images"];

    public static Task HandleAsync(ApiRequest api) =>
        ValidatedBody.HandleAsync<ImageJob>(api, Validate, job => AnswerAsync(api, job));

    private static ApiError? Validate(JsonElement root, string? azureDeployment, out ImageJob? job)
    {
        job = null;
        if (OpenAIErrors.CheckModelAndMembers(root, azureDeployment, Known, out var id) is { } error) return error;
        if (ImageModels.Find(id) is not { } model) return OpenAIErrors.ModelNotFound(id);
        if (!JsonShape.TryGetNonNull(root, "prompt", out var p)) return OpenAIErrors.MissingRequired("prompt");
        if (p.ValueKind != JsonValueKind.String) return OpenAIErrors.InvalidType("prompt", "a string", p);
        var prompt = p.GetString()!;
        if (prompt.Length > model.MaxPrompt)
        {
            return OpenAIErrors.Invalid($"Invalid 'prompt': string too long. Expected a string with maximum length {model.MaxPrompt}, but got a string with length {prompt.Length} instead.", "prompt", "string_above_max_length");
        }
        if (!model.GptImage)
        {
            foreach (var name in GptOnly)
            {
                if (JsonShape.TryGetNonNull(root, name, out _)) return OpenAIErrors.Invalid($"Unknown parameter: '{name}'.", name, "unknown_parameter");
            }
        }
        else if (JsonShape.TryGetNonNull(root, "response_format", out _))
        {
            return OpenAIErrors.Invalid("Unknown parameter: 'response_format'.", "response_format", "unknown_parameter");
        }
        if (model.Id != "dall-e-3" && JsonShape.TryGetNonNull(root, "style", out _))
        {
            return OpenAIErrors.Invalid("Unknown parameter: 'style'.", "style", "unknown_parameter");
        }
        int n = 1;
        if (JsonShape.TryGetNonNull(root, "n", out var nValue))
        {
            if (!JsonShape.IsInteger(nValue)) return OpenAIErrors.InvalidType("n", "an integer", nValue);
            n = nValue.GetInt32();
            if (n < 1) return OpenAIErrors.BelowMin("n", true, "1", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (n > model.MaxN)
            {
                return model.MaxN == 1
                    ? OpenAIErrors.Invalid("Invalid 'n': integer above maximum value. Expected a value <= 1, but got " + n + " instead.", "n", "integer_above_max_value")
                    : OpenAIErrors.AboveMax("n", true, model.MaxN.ToString(System.Globalization.CultureInfo.InvariantCulture), n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        string size, quality, format, outputFormat;
        if (Choice(root, "size", model.Sizes, model.DefaultSize, out size) is { } badSize) return badSize;
        if (Choice(root, "quality", model.Qualities, model.DefaultQuality, out quality) is { } badQuality) return badQuality;
        if (Choice(root, "response_format", ["url", "b64_json"], "url", out format) is { } badFormat) return badFormat;
        if (Choice(root, "output_format", ["png", "jpeg", "webp"], "png", out outputFormat) is { } badOutput) return badOutput;
        if (Choice(root, "background", ["transparent", "opaque", "auto"], "auto", out _) is { } badBackground) return badBackground;
        if (Choice(root, "moderation", ["low", "auto"], "auto", out _) is { } badModeration) return badModeration;
        if (Choice(root, "style", ["vivid", "natural"], "vivid", out _) is { } badStyle) return badStyle;
        bool stream = false;
        if (JsonShape.TryGetNonNull(root, "stream", out var s))
        {
            if (s.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return OpenAIErrors.InvalidType("stream", "a boolean", s);
            stream = s.GetBoolean();
        }
        int partial = 0;
        if (JsonShape.TryGetNonNull(root, "partial_images", out var pi))
        {
            if (!JsonShape.IsInteger(pi)) return OpenAIErrors.InvalidType("partial_images", "an integer", pi);
            partial = pi.GetInt32();
            if (partial is < 0 or > 3) return OpenAIErrors.AboveMax("partial_images", true, "3", partial.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (size == "auto") size = model.DefaultSize;
        if (quality == "auto") quality = model.DefaultQuality;
        job = new ImageJob(model, prompt, n, size, quality, !model.GptImage && format == "url", model.GptImage ? outputFormat : null, stream, partial);
        return null;
    }

    private static ApiError? Choice(JsonElement root, string name, string[] allowed, string fallback, out string value)
    {
        value = fallback;
        if (!JsonShape.TryGetNonNull(root, name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) return OpenAIErrors.InvalidType(name, "a string", v);
        value = v.GetString()!;
        return Array.IndexOf(allowed, value) < 0 ? OpenAIErrors.InvalidValue(name, value, allowed) : null;
    }

    private static async Task AnswerAsync(ApiRequest api, ImageJob job)
    {
        HttpHelpers.AddOpenAIHeaders(api.Http);
        if (job.Stream)
        {
            await StreamAsync(api, job);
            return;
        }
        await HttpHelpers.WriteJsonAsync(api.Http, 200, job, Write);
    }

    /// <summary>Input tokens as gpt-image counts them, roughly: one per 4 prompt characters; output by size and quality.</summary>
    private static (int Input, int Output) Tokens(ImageJob job) =>
        (Math.Max(1, job.Prompt.Length / 4), job.Quality switch { "low" => 272, "high" => 4160, _ => 1056 } * (job.Size == "1024x1024" ? 1 : 3) / 2);

    private static void Write(Utf8JsonWriter w, ImageJob job)
    {
        w.WriteStartObject();
        ImageModels.WriteCreatedAndData(w, job.N, job.Url, job.Model.Id == "dall-e-3" ? job.Prompt : null);
        if (job.Model.GptImage)
        {
            w.WriteString("background", "opaque");
            w.WriteString("output_format", job.OutputFormat);
            w.WriteString("quality", job.Quality);
            w.WriteString("size", job.Size);
            WriteUsage(w, job, job.N);
        }
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, ImageJob job, int images)
    {
        var (input, output) = Tokens(job);
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", input);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("text_tokens", input);
        w.WriteNumber("image_tokens", 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", output * images);
        w.WriteNumber("total_tokens", input + output * images);
        w.WriteEndObject();
    }

    private static Task StreamAsync(ApiRequest api, ImageJob job) =>
        ImageModels.StreamAsync(api, "image_generation", job.N, job.PartialImages, job.Size, job.Quality, job.OutputFormat, w => WriteUsage(w, job, 1));
}
