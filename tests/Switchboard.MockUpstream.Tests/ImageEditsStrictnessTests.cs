namespace Switchboard.MockUpstream.Tests;

/// <summary>The mock's <c>/v1/images/edits</c> refuses multipart forms as OpenAI does and answers with usage per input image.</summary>
public sealed class ImageEditsStrictnessTests(MockHostFixture fixture) : IClassFixture<MockHostFixture>
{
    private const string Edits = "/v1/images/edits";
    private readonly MockHost _mock = fixture.Host;

    private Task<HttpResponseMessage> PostAsync(MultipartFormDataContent form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Edits) { Content = form };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", MockHost.Key);
        return _mock.Client.SendAsync(request);
    }

    /// <summary>A form of <c>name=value</c> text fields and <c>name@file</c> file parts.</summary>
    private static MultipartFormDataContent Form(params string[] parts)
    {
        var form = new MultipartFormDataContent();
        foreach (var part in parts)
        {
            if (part.Split('@') is [var file, var fileName]) form.Add(new ByteArrayContent([0x89, 0x50, 0x4E, 0x47]), file, fileName);
            else form.Add(new StringContent(part[(part.IndexOf('=') + 1)..]), part[..part.IndexOf('=')]);
        }
        return form;
    }

    [Theory]
    [InlineData("image", "model=gpt-image-1", "prompt=x")]
    [InlineData("prompt", "model=gpt-image-1", "image@a.png")]
    [InlineData("seed", "model=gpt-image-1", "image@a.png", "prompt=x", "seed=1")]
    [InlineData("size", "model=gpt-image-1", "image@a.png", "prompt=x", "size=1792x1024")]
    [InlineData("size", "model=dall-e-2", "image@a.png", "prompt=x", "size=1536x1024")]
    [InlineData("image", "model=dall-e-2", "image[]@a.png", "image[]@b.png", "prompt=x")]
    [InlineData("model", "model=dall-e-3", "image@a.png", "prompt=x")]
    [InlineData("stream", "model=dall-e-2", "image@a.png", "prompt=x", "stream=true")]
    [InlineData("partial_images", "model=gpt-image-1", "image@a.png", "prompt=x", "stream=true", "partial_images=4")]
    public async Task What_the_api_refuses_is_a_400_naming_the_field(string param, params string[] parts)
    {
        using var response = await PostAsync(Form(parts));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(param, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_streamed_gpt_image_edit_sends_its_partial_images_then_one_completed_event_with_usage()
    {
        using var response = await PostAsync(Form("model=gpt-image-1", "image@a.png", "prompt=x", "stream=true", "partial_images=1", "n=2"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = body.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l[7..]);
        Assert.Equal(["image_edit.partial_image", "image_edit.completed", "image_edit.partial_image", "image_edit.completed"], events);
        var data = body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l[6..]).RootElement).ToList();
        Assert.All(data, d => Assert.Equal(d.GetProperty("type").GetString()!.EndsWith("completed", StringComparison.Ordinal), d.TryGetProperty("usage", out _)));
    }

    [Fact]
    public async Task Gpt_image_edits_of_several_images_count_each_as_image_tokens()
    {
        using var one = await PostAsync(Form("model=gpt-image-1", "image[]@a.png", "prompt=x", "quality=low"));
        using var two = await PostAsync(Form("model=gpt-image-1", "image[]@a.png", "image[]@b.png", "prompt=x", "quality=low"));

        var first = JsonDocument.Parse(await one.Content.ReadAsStringAsync()).RootElement;
        var second = JsonDocument.Parse(await two.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("1024x1024", "low"), (first.GetProperty("size").GetString(), first.GetProperty("quality").GetString()));
        long ImageTokens(JsonElement answer) => answer.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt64();
        Assert.Equal(2 * ImageTokens(first), ImageTokens(second));
        Assert.StartsWith("iVBOR", second.GetProperty("data")[0].GetProperty("b64_json").GetString(), StringComparison.Ordinal);
    }
}
