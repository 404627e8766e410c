using System.ClientModel;
using System.Net.Http.Headers;
using OpenAI.Images;

namespace Switchboard.Tests.EndToEnd;

// gpt-image's sizes, qualities and usage are the SDK's evaluation APIs (OPENAI001): they are what is tested here.
#pragma warning disable OPENAI001

/// <summary>
/// <c>POST /v1/images/edits</c> through the OpenAI .NET SDK's ImageClient: the multipart upload relayed to OpenAI and
/// Azure deployments, metered per image or by gpt-image's tokens, the upload limit, models that cannot edit images.
/// </summary>
public sealed class ImageEditsTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    protected override string ExtraTopLevel => "server: { max_upload_size: 64KB }";

    protected override string ExtraProviders => AnthropicAndGeminiProviders;

    protected override string ExtraModels => """
          dalle2: [{ provider: mock, model: dall-e-2, image_prices: { 512x512: 0.018, 1024x1024: 0.02 } }]
          gpt-image: [{ provider: mock, model: gpt-image-1, input_per_mtok: 5, output_per_mtok: 40, image_input_per_mtok: 10 }]
          azure-image: [{ provider: azure, model: gpt-image-1, image_prices: { 1024x1536/low: 0.016, default: 0.05 } }]
          nano-banana: [{ provider: gemini, model: gemini-2.5-flash-image }]
        """;

    private ImageClient Images(string model) => new(model, new ApiKeyCredential(TestConfigs.AliceKey), SdkOptions());

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    /// <summary>A "PNG" of <paramref name="bytes"/> bytes (the mock checks it is a non-empty file, not what it shows).</summary>
    private static MemoryStream Png(int bytes = 2000) => new(Enumerable.Range(0, bytes).Select(i => (byte)(i * 7 + 3)).ToArray());

    private static string RequestIdOf(ClientResult result) =>
        result.GetRawResponse().Headers.TryGetValue("x-request-id", out var id) ? id! : throw new InvalidOperationException("no x-request-id");

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

    [Fact]
    public async Task Dall_e_2_edits_cost_the_price_of_their_size_per_image()
    {
        using var image = Png();
        var result = await Images("dalle2").GenerateImageEditsAsync(image, "otter.png", "give the otter a hat", 2, new ImageEditOptions
        {
            Size = GeneratedImageSize.W512xH512,
            ResponseFormat = GeneratedImageFormat.Bytes,
        });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, i => Assert.Equal(PngSignature, i.ImageBytes.ToArray()[..4]));
        var sent = await Mock.LastRequestAsync();
        Assert.Equal("/v1/images/edits", sent.GetProperty("path").GetString());
        Assert.Contains("dall-e-2", sent.GetProperty("body").GetString());
        var record = await Gateway.RecordOfAsync(RequestIdOf(result));
        Assert.Equal(("images.edits", "dalle2", "dall-e-2", 200), (record.Endpoint, record.Model, record.UpstreamModel, record.Status));
        Assert.Equal(2 * 0.018m, record.CostUsd);
    }

    [Fact]
    public async Task Gpt_image_edits_of_several_images_are_priced_by_their_reported_tokens()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var form = new MultipartFormDataContent();
        foreach (var name in new[] { "a.png", "b.png" })
        {
            var file = new ByteArrayContent(Png().ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "image[]", name);
        }
        form.Add(new StringContent("put both in one picture"), "prompt");
        form.Add(new StringContent("gpt-image"), "model");
        form.Add(new StringContent("low"), "quality");

        var response = await http.PostAsync("/v1/images/edits", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        var imageTokens = usage.GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt64();
        Assert.True(imageTokens > 0);
        var record = await Gateway.RecordOfAsync(response.Headers.GetValues("x-request-id").Single());
        Assert.Equal(("images.edits", 200), (record.Endpoint, record.Status));
        Assert.Equal((usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64()), (record.Usage.PromptTokens, record.Usage.CompletionTokens));
        Assert.Equal(((record.Usage.PromptTokens - imageTokens) * 5m + imageTokens * 10m + record.Usage.CompletionTokens * 40m) / 1_000_000m, record.CostUsd);
    }

    /// <summary>Regression: a streamed edit ends with <c>image_edit.completed</c>, which the gateway did not count as
    /// a finished image (it knew only generations' events), so the relay took the complete stream for a cut one.</summary>
    [Fact]
    public async Task A_streamed_gpt_image_edit_is_relayed_event_by_event_and_priced_by_its_tokens()
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Png().ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "a.png");
        form.Add(new StringContent("add a hat"), "prompt");
        form.Add(new StringContent("gpt-image"), "model");
        form.Add(new StringContent("true"), "stream");
        form.Add(new StringContent("2"), "partial_images");

        var response = await http.PostAsync("/v1/images/edits", form);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = body.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..]).ToList();
        Assert.Equal(["image_edit.partial_image", "image_edit.partial_image", "image_edit.completed"], events);
        var completed = JsonDocument.Parse(body.Split('\n').Last(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..]).RootElement;
        var usage = completed.GetProperty("usage");
        var record = await Gateway.RecordOfAsync(response.Headers.GetValues("x-request-id").Single());
        Assert.Equal(("images.edits", 200, true), (record.Endpoint, record.Status, record.Stream));
        Assert.Equal((usage.GetProperty("input_tokens").GetInt64(), usage.GetProperty("output_tokens").GetInt64()), (record.Usage.PromptTokens, record.Usage.CompletionTokens));
        Assert.True(record.CostUsd > 0);
    }

    [Fact]
    public async Task Azure_edits_go_to_the_deployments_edits_path_at_the_price_of_their_size_and_quality()
    {
        using var image = Png();
        var result = await Images("azure-image").GenerateImageEditAsync(image, "room.png", "paint the walls blue", new ImageEditOptions
        {
            Size = GeneratedImageSize.W1024xH1536,
            Quality = GeneratedImageQuality.LowQuality,
        });

        Assert.Equal(PngSignature, result.Value.ImageBytes.ToArray()[..4]);
        var sent = await Mock.LastRequestAsync();
        Assert.Equal("/openai/deployments/gpt-image-1/images/edits", sent.GetProperty("path").GetString());
        Assert.Contains("api-version=", sent.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.Equal(0.016m, (await Gateway.RecordOfAsync(RequestIdOf(result))).CostUsd);
    }

    [Fact]
    public async Task An_image_over_the_upload_limit_is_a_413_in_openai_shape()
    {
        using var image = Png(100 * 1024);
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Images("gpt-image").GenerateImageEditAsync(image, "big.png", "crop it"));

        Assert.Equal(413, error.Status);
        Assert.Contains("server.max_upload_size", error.Message);
    }

    [Fact]
    public async Task A_gemini_model_is_refused_with_unsupported_operation()
    {
        using var image = Png();
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Images("nano-banana").GenerateImageEditAsync(image, "cat.png", "add a hat"));

        Assert.Equal(400, error.Status);
        var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("unsupported_operation", body.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(false, true, "image")]
    [InlineData(true, false, "prompt")]
    public async Task A_form_without_its_image_or_prompt_is_a_400_naming_it(bool withImage, bool withPrompt, string missing)
    {
        using var http = Gateway.Client(TestConfigs.AliceKey);
        var form = new MultipartFormDataContent { { new StringContent("gpt-image"), "model" } };
        if (withImage) form.Add(new ByteArrayContent(Png().ToArray()), "image", "a.png");
        if (withPrompt) form.Add(new StringContent("a hat"), "prompt");

        var response = await http.PostAsync("/v1/images/edits", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(missing, (await ErrorOf(response)).GetProperty("param").GetString());
    }
}
