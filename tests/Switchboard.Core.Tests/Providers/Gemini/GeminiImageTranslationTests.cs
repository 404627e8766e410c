using System.Text.Json.Nodes;
using Switchboard.Http;
using Switchboard.Core.Tests.Translation.Support;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI.Images;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;

namespace Switchboard.Core.Tests.Providers.Gemini;

/// <summary>
/// Golden tests of the OpenAI Images ↔ Google image translation over real recordings (Fixtures/gemini/recorded-images,
/// with their provenance): a Gemini image model's generateContent answer, its NO_IMAGE answer, and an Imagen :predict exchange.
/// Expectations come from the recordings themselves.
/// </summary>
public sealed class GeminiImageTranslationTests
{
    private static JsonElement Recorded(string name) => JsonDocument.Parse(File.ReadAllText(LocalFixtures.PathOf($"gemini/recorded-images/{name}"))).RootElement.Clone();

    private static JsonElement OpenAIAnswer(ImageGenerationResult result)
    {
        using var output = new PooledBuffer(1024);
        OpenAIImageResponseWriter.Write(result, 1_700_000_000, output);
        return JsonDocument.Parse(output.Memory).RootElement.Clone();
    }

    private static ImageGenerationRequest Request(string prompt = "a hamster in a hat") => new() { Prompt = prompt };

    private static JsonElement Body(ImageGenerationRequest request, string model, out ValidationError? error)
    {
        using var body = new PooledBuffer(256);
        error = GeminiImageRequestWriter.Write(request, model, body);
        return error is null ? JsonDocument.Parse(body.Memory).RootElement.Clone() : default;
    }

    [Fact]
    public void A_gemini_image_answer_becomes_openai_b64_json_with_its_usage()
    {
        var recorded = Recorded("image-generate-flash-image.json");
        var part = recorded.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("inlineData");
        var usage = recorded.GetProperty("usageMetadata");

        var read = GeminiImageResponseReader.Read(Encoding.UTF8.GetBytes(recorded.GetRawText()), "gemini-3.1-flash-image");
        Assert.True(read.IsSuccess, read.Error?.ToString());
        var answer = OpenAIAnswer(read.Value);

        Assert.Equal(part.GetProperty("data").GetString(), Assert.Single(answer.GetProperty("data").EnumerateArray()).GetProperty("b64_json").GetString());
        Assert.Equal(part.GetProperty("mimeType").GetString(), "image/" + answer.GetProperty("output_format").GetString());
        var openaiUsage = answer.GetProperty("usage");
        Assert.Equal(usage.GetProperty("promptTokenCount").GetInt32(), openaiUsage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("candidatesTokenCount").GetInt32(), openaiUsage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("totalTokenCount").GetInt32(), openaiUsage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("promptTokensDetails")[0].GetProperty("tokenCount").GetInt32(),
            openaiUsage.GetProperty("input_tokens_details").GetProperty("text_tokens").GetInt32());
        Assert.Equal(0, openaiUsage.GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());
    }

    [Fact]
    public void A_gemini_answer_without_an_image_is_a_content_policy_refusal_with_googles_reason()
    {
        var recorded = Recorded("image-generate-no-image.json");
        var reason = recorded.GetProperty("candidates")[0].GetProperty("finishReason").GetString()!;

        var read = GeminiImageResponseReader.Read(Encoding.UTF8.GetBytes(recorded.GetRawText()), "gemini-3.1-flash-image-preview");

        Assert.False(read.IsSuccess);
        Assert.Equal(ValidationError.ContentPolicy, read.Error.Code);
        Assert.Contains(reason, read.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_openai_request_for_imagen_is_written_as_the_recorded_predict_body()
    {
        var recorded = Recorded("imagen-predict.json");
        var sent = recorded.GetProperty("request").GetProperty("body");
        var prompt = sent.GetProperty("instances")[0].GetProperty("prompt").GetString()!;
        var model = recorded.GetProperty("request").GetProperty("url").GetString()!.Split('/')[^1].Split(':')[0];

        // 1024x768 is the recording's 4:3.
        var body = Body(Request(prompt) with { Size = "1024x768" }, model, out var error);

        Assert.Null(error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sent.GetRawText()), JsonNode.Parse(body.GetRawText())), body.GetRawText());
    }

    [Fact]
    public void An_imagen_answer_becomes_openai_images_without_usage()
    {
        var recorded = Recorded("imagen-predict.json").GetProperty("response").GetProperty("body");
        var prediction = recorded.GetProperty("predictions")[0];

        var read = GeminiImageResponseReader.Read(Encoding.UTF8.GetBytes(recorded.GetRawText()), "imagen-4.0-generate-001");
        Assert.True(read.IsSuccess, read.Error?.ToString());
        var answer = OpenAIAnswer(read.Value);

        Assert.Equal(prediction.GetProperty("bytesBase64Encoded").GetString(), answer.GetProperty("data")[0].GetProperty("b64_json").GetString());
        Assert.Equal("png", answer.GetProperty("output_format").GetString());
        Assert.False(answer.TryGetProperty("usage", out _));
    }

    [Theory]
    [InlineData("1024x1024", "1:1")]
    [InlineData("1536x1024", "3:2")]
    [InlineData("1024x1536", "2:3")]
    [InlineData("1792x1024", "16:9")]
    [InlineData("1024x1792", "9:16")]
    public void Openai_sizes_become_gemini_aspect_ratios(string size, string ratio)
    {
        var body = Body(Request() with { Size = size }, "gemini-2.5-flash-image", out var error);

        Assert.Null(error);
        var config = body.GetProperty("generationConfig");
        Assert.Equal("IMAGE", Assert.Single(config.GetProperty("responseModalities").EnumerateArray()).GetString());
        Assert.Equal(ratio, config.GetProperty("imageConfig").GetProperty("aspectRatio").GetString());
        Assert.Equal("a hamster in a hat", body.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Auto_size_and_quality_send_no_image_config()
    {
        var body = Body(Request() with { Size = "auto", Quality = "high", User = "u-1" }, "gemini-2.5-flash-image", out var error);

        Assert.Null(error);
        Assert.False(body.GetProperty("generationConfig").TryGetProperty("imageConfig", out _));
    }

    [Theory]
    [InlineData("gemini-2.5-flash-image", "n")]
    [InlineData("imagen-4.0-generate-001", "n")]
    public void More_images_than_the_model_makes_are_refused_naming_n(string model, string param)
    {
        Body(Request() with { N = 5 }, model, out var error);

        Assert.Equal(param, error?.Param);
    }

    [Theory]
    [InlineData("gemini-2.5-flash-image", "size", "1536x1024x2")]
    [InlineData("imagen-4.0-generate-001", "size", "1536x1024")]
    public void Sizes_the_model_cannot_make_are_refused_naming_size(string model, string param, string size)
    {
        Body(Request() with { Size = size }, model, out var error);

        Assert.Equal(param, error?.Param);
        Assert.Contains(size, error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Imagen_takes_png_or_jpeg_with_compression()
    {
        var body = Body(Request() with { OutputFormat = "jpeg", OutputCompression = 70, N = 2 }, "imagen-4.0-generate-001", out var error);

        Assert.Null(error);
        var parameters = body.GetProperty("parameters");
        Assert.Equal(2, parameters.GetProperty("sampleCount").GetInt32());
        Assert.Equal("image/jpeg", parameters.GetProperty("outputOptions").GetProperty("mimeType").GetString());
        Assert.Equal(70, parameters.GetProperty("outputOptions").GetProperty("compressionQuality").GetInt32());
    }
}
