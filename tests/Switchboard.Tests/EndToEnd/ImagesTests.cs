using System.ClientModel;
using OpenAI.Images;
using Switchboard.Usage;

namespace Switchboard.Tests.EndToEnd;

// gpt-image's sizes, qualities and usage are the SDK's evaluation APIs (OPENAI001): they are what is tested here.
#pragma warning disable OPENAI001

/// <summary>
/// <c>POST /v1/images/generations</c> through the OpenAI .NET SDK's ImageClient: relayed to OpenAI and Azure, translated
/// to Gemini's image models and Imagen, each answer metered in the ledger (per-image or token prices).
/// </summary>
public sealed class ImagesTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraProviders => AnthropicAndGeminiProviders;

    protected override string ExtraModels => """
          dalle:
            - { provider: mock, model: dall-e-3, image_prices: { 1024x1024/standard: 0.04, 1024x1024/hd: 0.08, 1792x1024: 0.12 } }
          gpt-image:
            - { provider: mock, model: gpt-image-1, input_per_mtok: 5, output_per_mtok: 40, image_input_per_mtok: 10 }
          azure-image:
            - { provider: azure, model: gpt-image-1, image_prices: { default: 0.05 } }
          nano-banana:
            - { provider: gemini, model: gemini-2.5-flash-image, input_per_mtok: 0.3, output_per_mtok: 30 }
          imagen:
            - { provider: gemini, model: imagen-4.0-generate-001, image_prices: { default: 0.04 } }
          claude-image:
            - { provider: anthropic, model: claude-sonnet-4-5 }
        """;

    private ImageClient Images(string model) => new(model, new ApiKeyCredential(TestConfigs.AliceKey), SdkOptions());

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    private async Task<UsageRecord> LastImageRecordAsync(string model)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (Gateway.Recorded().FirstOrDefault(r => r.Model == model) is { } record) return record;
            if (attempt == 100) throw new InvalidOperationException($"no record for {model}");
            await Task.Delay(20);
        }
    }

    private async Task<JsonElement> UpstreamBodyAsync() =>
        JsonDocument.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!).RootElement;

    [Fact]
    public async Task Dall_e_3_images_come_back_as_bytes_and_cost_the_price_of_their_size_and_quality()
    {
        var image = (await Images("dalle").GenerateImageAsync("a lighthouse at dusk", new ImageGenerationOptions
        {
            Quality = GeneratedImageQuality.High,
            Size = GeneratedImageSize.W1024xH1024,
            ResponseFormat = GeneratedImageFormat.Bytes,
        })).Value;

        Assert.Equal(PngSignature, image.ImageBytes.ToArray()[..4]);
        var sent = await UpstreamBodyAsync();
        Assert.Equal(("dall-e-3", "hd", "1024x1024"), (sent.GetProperty("model").GetString(), sent.GetProperty("quality").GetString(), sent.GetProperty("size").GetString()));
        var row = await LastImageRecordAsync("dalle");
        Assert.Equal(("images.generations", 200, "mock"), (row.Endpoint, row.Status, row.Provider));
        Assert.Equal(0.08m, row.CostUsd);
    }

    [Fact]
    public async Task Gpt_image_usage_reaches_the_client_and_the_ledger_priced_by_tokens()
    {
        var result = (await Images("gpt-image").GenerateImagesAsync("two red apples", 2, new ImageGenerationOptions
        {
            Quality = GeneratedImageQuality.LowQuality,
            Size = GeneratedImageSize.W1536xH1024,
        })).Value;

        Assert.Equal(2, result.Count);
        Assert.All(result, i => Assert.Equal(PngSignature, i.ImageBytes.ToArray()[..4]));
        Assert.True(result.Usage.InputTokenCount > 0 && result.Usage.OutputTokenCount > 0);
        var row = await LastImageRecordAsync("gpt-image");
        Assert.Equal((result.Usage.InputTokenCount, result.Usage.OutputTokenCount), (row.Usage.PromptTokens, row.Usage.CompletionTokens));
        Assert.False(row.UsageMissing);
        Assert.Equal((row.Usage.PromptTokens * 5m + row.Usage.CompletionTokens * 40m) / 1_000_000m, row.CostUsd);
    }

    [Fact]
    public async Task A_gpt_image_stream_relays_its_partial_images_and_is_metered_from_its_completed_event()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations")
        {
            Content = Json("""{"model":"gpt-image","prompt":"a kite","stream":true,"partial_images":2,"size":"1024x1024","quality":"medium"}"""),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).ToList();

        Assert.Equal(["event: image_generation.partial_image", "event: image_generation.partial_image", "event: image_generation.completed"], events);
        Assert.False((await UpstreamBodyAsync()).TryGetProperty("stream_options", out _));
        var row = await LastImageRecordAsync("gpt-image");
        Assert.True(row.Stream);
        Assert.Equal(200, row.Status);
        Assert.True(row.Usage.CompletionTokens > 0);
        Assert.Equal((row.Usage.PromptTokens * 5m + row.Usage.CompletionTokens * 40m) / 1_000_000m, row.CostUsd);
    }

    [Fact]
    public async Task Azure_images_go_to_the_deployments_images_path()
    {
        var image = (await Images("azure-image").GenerateImageAsync("a boat")).Value;

        Assert.Equal(PngSignature, image.ImageBytes.ToArray()[..4]);
        var sent = await Mock.LastRequestAsync();
        Assert.Equal("/openai/deployments/gpt-image-1/images/generations", sent.GetProperty("path").GetString());
        Assert.Contains("api-version=2024-10-21", sent.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.Equal(0.05m, (await LastImageRecordAsync("azure-image")).CostUsd);
    }

    [Fact]
    public async Task A_gemini_image_model_answers_an_openai_images_client()
    {
        var result = (await Images("nano-banana").GenerateImagesAsync("a banana in space", 1, new ImageGenerationOptions { Size = GeneratedImageSize.W1536xH1024 })).Value;

        Assert.Equal(PngSignature, Assert.Single(result).ImageBytes.ToArray()[..4]);
        var sent = await Mock.LastRequestAsync();
        Assert.EndsWith("/models/gemini-2.5-flash-image:generateContent", sent.GetProperty("path").GetString(), StringComparison.Ordinal);
        var body = await UpstreamBodyAsync();
        Assert.Equal("IMAGE", body.GetProperty("generationConfig").GetProperty("responseModalities")[0].GetString());
        Assert.Equal("3:2", body.GetProperty("generationConfig").GetProperty("imageConfig").GetProperty("aspectRatio").GetString());
        Assert.Equal(1290, result.Usage.OutputTokenCount);
        var row = await LastImageRecordAsync("nano-banana");
        Assert.Equal(("images.generations", "gemini"), (row.Endpoint, row.Provider));
        Assert.Equal((row.Usage.PromptTokens * 0.3m + 1290 * 30m) / 1_000_000m, row.CostUsd);
    }

    [Fact]
    public async Task Imagen_generates_n_images_through_predict_at_its_per_image_price()
    {
        var result = (await Images("imagen").GenerateImagesAsync("three owls", 3)).Value;

        Assert.Equal(3, result.Count);
        Assert.EndsWith("/models/imagen-4.0-generate-001:predict", (await Mock.LastRequestAsync()).GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, (await UpstreamBodyAsync()).GetProperty("parameters").GetProperty("sampleCount").GetInt32());
        var row = await LastImageRecordAsync("imagen");
        Assert.Equal(0.12m, row.CostUsd);
        Assert.True(row.UsageMissing); // Imagen reports no tokens: priced per image, nothing estimated
        Assert.False(row.CostEstimated);
    }

    [Theory]
    [InlineData("""{"model":"nano-banana","prompt":"x","response_format":"url"}""", "response_format")]
    [InlineData("""{"model":"nano-banana","prompt":"x","n":2}""", "n")]
    [InlineData("""{"model":"nano-banana","prompt":"x","size":"256x512"}""", "size")]
    [InlineData("""{"model":"imagen","prompt":"x","size":"1536x1024"}""", "size")]
    [InlineData("""{"model":"imagen","prompt":"x","output_format":"webp"}""", "output_format")]
    [InlineData("""{"model":"nano-banana","prompt":"x","background":"transparent"}""", "background")]
    [InlineData("""{"model":"nano-banana","prompt":"x","stream":true}""", "stream")]
    [InlineData("""{"model":"nano-banana","prompt":"x","seed":4}""", "seed")]
    public async Task What_google_cannot_express_is_a_400_naming_the_field(string body, string param)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        using var response = await http.PostAsync("/v1/images/generations", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    /// <summary>A Gemini model that declines (its NO_IMAGE answer), and a model on a provider that cannot generate images.</summary>
    [Theory]
    [InlineData("nano-banana", "[no-image] anything", "content_policy_violation", "NO_IMAGE")]
    [InlineData("claude-image", "a cat", "unsupported_operation", "anthropic")]
    public async Task Refusals_are_openai_shaped_400s_that_say_why(string model, string prompt, string code, string why)
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Images(model).GenerateImageAsync(prompt));

        Assert.Equal(400, ex.Status);
        Assert.Contains(code, ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_upstreams_own_refusal_reaches_the_client()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        using var response = await http.PostAsync("/v1/images/generations", Json("""{"model":"dalle","prompt":"x","size":"256x256"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("256x256", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
