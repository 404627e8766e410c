using System.Globalization;
using System.Text.Json;

namespace Switchboard.MockUpstream.Images;

/// <summary>
/// <c>POST /v1/images/edits</c> (and Azure's): a multipart form checked as strictly as the API (known fields only,
/// <c>image</c> (or <c>image[]</c>, several for gpt-image) and <c>prompt</c> required, sizes and qualities per model,
/// dall-e-2 one image only), answered as generations are: one pixel per image, gpt-image's <c>usage</c> counting
/// every uploaded image as input tokens. gpt-image edits stream as the API streams them (<c>stream=true</c>):
/// <c>partial_images</c> <c>image_edit.partial_image</c> events, then one <c>image_edit.completed</c> per image with
/// its usage.
/// </summary>
internal static class ImageEditsEndpoint
{
    private static readonly HashSet<string> Fields = ["image", "image[]", "prompt", "mask", "model", "n", "size", "quality", "response_format",
        "output_format", "output_compression", "background", "input_fidelity", "user", "stream", "partial_images"];

    /// <summary>Input tokens the mock counts for each uploaded image.</summary>
    private const int TokensPerInputImage = 65;

    public static async Task HandleAsync(ApiRequest api)
    {
        var (parts, formError) = await MultipartBody.ReadAsync(api, Fields);
        if (parts is null)
        {
            await HttpHelpers.WriteErrorAsync(api.Http, formError!);
            return;
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        int images = 0;
        foreach (var part in parts)
        {
            if (part.Name is "image" or "image[]" or "mask")
            {
                if (part.FileName is null || part.Bytes.Length == 0)
                {
                    await HttpHelpers.WriteErrorAsync(api.Http, OpenAIErrors.Invalid($"'{part.Name}' must be a non-empty image file upload.", part.Name, "invalid_value"));
                    return;
                }
                if (part.Name != "mask") images++;
            }
            else fields[part.Name] = part.Text;
        }
        if (Validate(api, fields, images, out var job) is { } error)
        {
            await HttpHelpers.WriteErrorAsync(api.Http, error);
            return;
        }
        HttpHelpers.AddOpenAIHeaders(api.Http);
        if (job!.Stream) await StreamAsync(api, job);
        else await HttpHelpers.WriteJsonAsync(api.Http, 200, job, Write);
    }

    private sealed record EditJob(ImageModel Model, int N, string Size, string Quality, int Images, int PromptLength, bool Url)
    {
        public bool Stream { get; init; }
        public int PartialImages { get; init; }
    }

    private static ApiError? Validate(ApiRequest api, Dictionary<string, string> fields, int images, out EditJob? job)
    {
        job = null;
        if (images == 0) return OpenAIErrors.MissingRequired("image");
        if (!fields.TryGetValue("prompt", out var prompt) || prompt.Length == 0) return OpenAIErrors.MissingRequired("prompt");
        var id = api.AzureDeployment ?? fields.GetValueOrDefault("model", "dall-e-2");
        if (ImageModels.Find(id) is not { } model || id == "dall-e-3") return OpenAIErrors.Invalid($"Invalid model '{id}': image edits support dall-e-2 and gpt-image models.", "model", "invalid_value");
        if (!model.GptImage && images > 1) return OpenAIErrors.Invalid("dall-e-2 edits take exactly one image.", "image", "invalid_value");
        if (prompt.Length > model.MaxPrompt)
        {
            return OpenAIErrors.Invalid($"Invalid 'prompt': string too long. Expected a string with maximum length {model.MaxPrompt}, but got a string with length {prompt.Length} instead.", "prompt", "string_above_max_length");
        }
        var n = 1;
        if (fields.TryGetValue("n", out var nText) && (!int.TryParse(nText, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n < 1 || n > model.MaxN))
        {
            return OpenAIErrors.Invalid($"Invalid 'n': expected an integer between 1 and {model.MaxN}, got '{nText}'.", "n");
        }
        var size = fields.GetValueOrDefault("size", model.DefaultSize);
        if (Array.IndexOf(model.Sizes, size) < 0) return OpenAIErrors.InvalidValue("size", size, model.Sizes);
        var quality = fields.GetValueOrDefault("quality", model.DefaultQuality);
        if (Array.IndexOf(model.Qualities, quality) < 0) return OpenAIErrors.InvalidValue("quality", quality, model.Qualities);
        var stream = false;
        var partialImages = 0;
        foreach (var name in (string[])["stream", "partial_images"])
        {
            if (fields.ContainsKey(name) && !model.GptImage) return OpenAIErrors.Invalid($"Unknown parameter: '{name}'.", name, "unknown_parameter");
        }
        if (fields.TryGetValue("stream", out var streamText))
        {
            if (streamText is not ("true" or "false")) return OpenAIErrors.Invalid($"Invalid 'stream': expected a boolean, got '{streamText}'.", "stream", "invalid_type");
            stream = streamText == "true";
        }
        if (fields.TryGetValue("partial_images", out var partialText)
            && (!int.TryParse(partialText, NumberStyles.None, CultureInfo.InvariantCulture, out partialImages) || partialImages > 3))
        {
            return OpenAIErrors.Invalid($"Invalid 'partial_images': expected an integer between 0 and 3, got '{partialText}'.", "partial_images", "invalid_value");
        }
        if (model.GptImage && fields.ContainsKey("response_format")) return OpenAIErrors.Invalid("Unknown parameter: 'response_format'.", "response_format", "unknown_parameter");
        job = new EditJob(model, n, size == "auto" ? model.DefaultSize : size, quality == "auto" ? model.DefaultQuality : quality, images, prompt.Length,
            fields.GetValueOrDefault("response_format") == "url") { Stream = stream, PartialImages = partialImages };
        return null;
    }

    private static Task StreamAsync(ApiRequest api, EditJob job) =>
        ImageModels.StreamAsync(api, "image_edit", job.N, job.PartialImages, job.Size, job.Quality, "png", w => WriteUsage(w, job, images: 1));

    private static void Write(Utf8JsonWriter w, EditJob job)
    {
        w.WriteStartObject();
        ImageModels.WriteCreatedAndData(w, job.N, job.Url, revisedPrompt: null);
        if (job.Model.GptImage)
        {
            w.WriteString("quality", job.Quality);
            w.WriteString("size", job.Size);
            WriteUsage(w, job, job.N);
        }
        w.WriteEndObject();
    }

    /// <summary>gpt-image's usage for <paramref name="images"/> output images: the prompt and every uploaded image in.</summary>
    private static void WriteUsage(Utf8JsonWriter w, EditJob job, int images)
    {
        var text = Math.Max(1, job.PromptLength / 4);
        var image = job.Images * TokensPerInputImage;
        const int output = 272;
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", text + image);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("text_tokens", text);
        w.WriteNumber("image_tokens", image);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", output * images);
        w.WriteNumber("total_tokens", text + image + output * images);
        w.WriteEndObject();
    }
}
