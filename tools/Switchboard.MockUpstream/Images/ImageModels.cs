namespace Switchboard.MockUpstream.Images;

/// <summary>What one OpenAI image model accepts, as the API documents it (CreateImageRequest).</summary>
internal sealed record ImageModel(string Id, string[] Sizes, string[] Qualities, int MaxN, int MaxPrompt, bool GptImage, string DefaultSize, string DefaultQuality);

/// <summary>The OpenAI image models the mock serves; anything else is model_not_found.</summary>
internal static class ImageModels
{
    private static readonly string[] GptSizes = ["auto", "1024x1024", "1536x1024", "1024x1536"];
    private static readonly string[] GptQualities = ["auto", "low", "medium", "high"];

    private static readonly ImageModel[] Known =
    [
        new("dall-e-2", ["256x256", "512x512", "1024x1024"], ["standard"], 10, 1000, false, "1024x1024", "standard"),
        new("dall-e-3", ["1024x1024", "1792x1024", "1024x1792"], ["standard", "hd"], 1, 4000, false, "1024x1024", "standard"),
        new("gpt-image-1", GptSizes, GptQualities, 10, 32000, true, "1024x1024", "medium"),
        new("gpt-image-1-mini", GptSizes, GptQualities, 10, 32000, true, "1024x1024", "medium"),
    ];

    /// <summary>The model, or null. mock-* ids behave as gpt-image-1 so tests can invent deployments.</summary>
    public static ImageModel? Find(string id)
    {
        foreach (var m in Known)
        {
            if (m.Id == id) return m;
        }
        return id.StartsWith(ModelCatalog.MockPrefix, StringComparison.Ordinal) && id.Length > ModelCatalog.MockPrefix.Length
            ? Known[2] with { Id = id }
            : null;
    }

    /// <summary>A valid 1×1 PNG: every generated image (the tests check the bytes decode, not what they show).</summary>
    public const string PixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    /// <summary>An Images answer's <c>created</c> and <c>data</c>: <paramref name="n"/> pixels as links or base64, each with the revised prompt if given.</summary>
    public static void WriteCreatedAndData(System.Text.Json.Utf8JsonWriter w, int n, bool url, string? revisedPrompt)
    {
        w.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        w.WriteStartArray("data");
        for (var i = 0; i < n; i++)
        {
            w.WriteStartObject();
            if (url) w.WriteString("url", $"https://images.mock.invalid/{i}.png");
            else w.WriteString("b64_json", PixelPng);
            if (revisedPrompt is not null) w.WriteString("revised_prompt", revisedPrompt);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// Streams <paramref name="n"/> images as gpt-image does: <paramref name="partialImages"/>
    /// <c>{kind}.partial_image</c> events, then one <c>{kind}.completed</c> per image with its usage
    /// (<paramref name="writeUsage"/>); each event names the image's size, quality and format.
    /// </summary>
    public static async Task StreamAsync(ApiRequest api, string kind, int n, int partialImages, string size, string quality, string? outputFormat,
        Action<System.Text.Json.Utf8JsonWriter> writeUsage)
    {
        void Write(System.Text.Json.Utf8JsonWriter w, string type, int? partial)
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("b64_json", PixelPng);
            w.WriteNumber("created_at", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            w.WriteString("size", size);
            w.WriteString("quality", quality);
            w.WriteString("background", "opaque");
            w.WriteString("output_format", outputFormat);
            if (partial is { } index) w.WriteNumber("partial_image_index", index);
            else writeUsage(w);
            w.WriteEndObject();
        }

        var partialType = kind + ".partial_image";
        var completedType = kind + ".completed";
        using var sse = SseStream.Create(api.Http, api.Knobs, api.State);
        await StreamGuard.RunAsync(sse, async () =>
        {
            await sse.SendHeadersAsync();
            for (int image = 0; image < n; image++)
            {
                for (int partial = 0; partial < partialImages; partial++)
                {
                    if (!await sse.BeforeEventAsync()) return;
                    Write(sse.BeginEvent(System.Text.Encoding.UTF8.GetBytes(partialType)), partialType, partial);
                    if (!await sse.EndDataAsync()) return;
                }
                if (!await sse.BeforeEventAsync()) return;
                Write(sse.BeginEvent(System.Text.Encoding.UTF8.GetBytes(completedType)), completedType, null);
                if (!await sse.EndDataAsync()) return;
            }
            sse.Finish();
        });
    }
}
