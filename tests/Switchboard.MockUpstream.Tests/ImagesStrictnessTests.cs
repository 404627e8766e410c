namespace Switchboard.MockUpstream.Tests;

/// <summary>The mock's image generation (OpenAI Images, Gemini image models, Imagen) answers and refuses as the APIs do.</summary>
public sealed class ImagesStrictnessTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Images = "/v1/images/generations";
    private readonly MockHost _mock = fixture.Host;

    private async Task<JsonElement> ErrorAsync(string json)
    {
        using var response = await _mock.PostAsync(Images, J(json));
        Assert.Equal(400, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").Clone();
    }

    [Theory]
    [InlineData("{'model':'dall-e-3','prompt':'x','size':'1536x1024'}", "size")]
    [InlineData("{'model':'gpt-image-1','prompt':'x','size':'1792x1024'}", "size")]
    [InlineData("{'model':'dall-e-3','prompt':'x','quality':'high'}", "quality")]
    [InlineData("{'model':'dall-e-3','prompt':'x','n':2}", "n")]
    [InlineData("{'model':'dall-e-3','prompt':'x','output_format':'png'}", "output_format")]
    [InlineData("{'model':'gpt-image-1','prompt':'x','response_format':'b64_json'}", "response_format")]
    [InlineData("{'model':'gpt-image-1','prompt':'x','style':'vivid'}", "style")]
    [InlineData("{'model':'gpt-image-1','prompt':'x','seed':1}", "seed")]
    [InlineData("{'model':'gpt-image-1'}", "prompt")]
    public async Task What_a_model_does_not_take_is_a_400_naming_the_field(string json, string param)
    {
        Assert.Equal(param, (await ErrorAsync(json)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Gpt_image_answers_b64_with_its_resolved_size_quality_and_usage()
    {
        var answer = await _mock.PostJsonAsync(Images, J("{'model':'gpt-image-1','prompt':'two cats','n':2,'size':'auto','quality':'low'}"));

        Assert.Equal(2, answer.GetProperty("data").GetArrayLength());
        Assert.StartsWith("iVBOR", answer.GetProperty("data")[0].GetProperty("b64_json").GetString(), StringComparison.Ordinal);
        Assert.Equal(("1024x1024", "low"), (answer.GetProperty("size").GetString(), answer.GetProperty("quality").GetString()));
        var usage = answer.GetProperty("usage");
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Dall_e_answers_urls_by_default_and_no_usage()
    {
        var answer = await _mock.PostJsonAsync(Images, J("{'model':'dall-e-2','prompt':'x','size':'256x256'}"));

        Assert.StartsWith("https://", answer.GetProperty("data")[0].GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.False(answer.TryGetProperty("usage", out _));
    }

    [Fact]
    public async Task Gemini_image_models_refuse_ratios_and_candidate_counts_they_cannot_make()
    {
        using var ratio = await _mock.GeminiAsync("gemini-2.5-flash-image",
            J("{'contents':[{'role':'user','parts':[{'text':'x'}]}],'generationConfig':{'responseModalities':['IMAGE'],'imageConfig':{'aspectRatio':'7:4'}}}"));
        await ProviderWire.AssertGoogleErrorAsync(ratio, 400, "INVALID_ARGUMENT", "Unsupported aspect ratio: 7:4", prefix: true);
        using var count = await _mock.GeminiAsync("gemini-2.5-flash-image",
            J("{'contents':[{'role':'user','parts':[{'text':'x'}]}],'generationConfig':{'candidateCount':2}}"));
        await ProviderWire.AssertGoogleErrorAsync(count, 400, "INVALID_ARGUMENT", "Multiple candidates is not enabled for models/gemini-2.5-flash-image");
        using var unknown = await _mock.GeminiAsync("gemini-2.5-flash-image",
            J("{'contents':[{'role':'user','parts':[{'text':'x'}]}],'generationConfig':{'imageConfig':{'size':'1K'}}}"));
        await ProviderWire.AssertGoogleErrorAsync(unknown, 400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"size\"", prefix: true);
    }

    [Fact]
    public async Task Imagen_predict_answers_sample_count_images_and_refuses_more_than_four()
    {
        using var ok = await _mock.GeminiAsync("imagen-4.0-generate-001", J("{'instances':[{'prompt':'owls'}],'parameters':{'sampleCount':3,'aspectRatio':'16:9'}}"), "predict");
        Assert.Equal(200, (int)ok.StatusCode);
        var answer = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, answer.GetProperty("predictions").GetArrayLength());

        using var many = await _mock.GeminiAsync("imagen-4.0-generate-001", J("{'instances':[{'prompt':'owls'}],'parameters':{'sampleCount':5}}"), "predict");
        await ProviderWire.AssertGoogleErrorAsync(many, 400, "INVALID_ARGUMENT", "sampleCount must be between 1 and 4", prefix: true);
        using var ratio = await _mock.GeminiAsync("imagen-4.0-generate-001", J("{'instances':[{'prompt':'owls'}],'parameters':{'aspectRatio':'3:2'}}"), "predict");
        await ProviderWire.AssertGoogleErrorAsync(ratio, 400, "INVALID_ARGUMENT", "Unsupported aspect ratio", prefix: true);
    }
}
