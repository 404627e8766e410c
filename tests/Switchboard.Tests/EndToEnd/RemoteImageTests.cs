using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Images by http(s) URL. Gemini fetches no arbitrary URLs, so the gateway fetches the image (from a small image host
/// started here) and sends its bytes as <c>inlineData</c>; a fetch that fails is a 400 in the client's dialect. Anthropic
/// and OpenAI upstreams take the URL as it is. Also: a document by URL cannot go to an OpenAI upstream (a 400, not a 500).
/// </summary>
public sealed class RemoteImageTests(MockUpstreamFixture mock) : GatewayTestBase(mock)
{
    private const string PixelBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    private WebApplication _images = null!;
    private string _imageHost = "";

    protected override string ExtraProviders => AnthropicAndGeminiProviders;

    protected override string ExtraModels => ModelPerUpstream;

    // The image host here is on loopback, which the gateway refuses by default (see the SSRF tests below).
    protected override string ExtraTopLevel => "media: { allow_private_networks: true }";

    public override async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _images = builder.Build();
        var pixel = Convert.FromBase64String(PixelBase64);
        _images.MapGet("/pixel.png", () => Results.Bytes(pixel, "image/png"));
        _images.MapGet("/page.html", () => Results.Text("<html></html>", "text/html"));
        _images.MapGet("/huge.png", async (HttpContext context) =>
        {
            // 21 MB, chunked (no Content-Length): the gateway stops reading at its 20 MB cap.
            context.Response.ContentType = "image/png";
            var megabyte = new byte[1024 * 1024];
            for (var i = 0; i < 21 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(megabyte, context.RequestAborted).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        await _images.StartAsync();
        _imageHost = _images.Urls.First();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _images.DisposeAsync();
    }

    [Fact]
    public async Task OpenAI_client_image_url_reaches_Gemini_inline()
    {
        var (status, body) = await ChatAsync("gemini", $"{_imageHost}/pixel.png");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Echo: what is it", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var parts = (await LastUpstreamBodyAsync())["contents"]![0]!["parts"]!.AsArray();
        var inline = parts.Single(p => p!["inlineData"] is not null)!["inlineData"]!;
        Assert.Equal(("image/png", PixelBase64), (inline["mimeType"]!.GetValue<string>(), inline["data"]!.GetValue<string>()));
        Assert.DoesNotContain(parts, p => p!["fileData"] is not null);
    }

    [Fact]
    public async Task Anthropic_client_url_image_reaches_Gemini_inline_and_Anthropic_as_a_url()
    {
        var (status, _) = await MessagesAsync("gemini", $"{_imageHost}/pixel.png");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(PixelBase64, (await LastUpstreamBodyAsync()).ToJsonString(), StringComparison.Ordinal);

        (status, _) = await MessagesAsync("claude", $"{_imageHost}/pixel.png");
        Assert.Equal(HttpStatusCode.OK, status);
        var source = (await LastUpstreamBodyAsync())["messages"]![0]!["content"]![0]!["source"]!;
        Assert.Equal(("url", $"{_imageHost}/pixel.png"), (source["type"]!.GetValue<string>(), source["url"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OpenAI_upstream_gets_the_url_as_is()
    {
        var (status, _) = await ChatAsync("gpt", $"{_imageHost}/pixel.png");
        Assert.Equal(HttpStatusCode.OK, status);
        var content = (await LastUpstreamBodyAsync())["messages"]![0]!["content"]!.AsArray();
        Assert.Contains(content, p => p!["image_url"]?["url"]?.GetValue<string>() == $"{_imageHost}/pixel.png");
    }

    [Theory]
    [InlineData("/missing.png", "answered 404")]
    [InlineData("/page.html", "does not point at an image")]
    [InlineData("/huge.png", "larger than 20 MB")]
    public async Task A_failed_fetch_is_a_400_in_the_OpenAI_dialect(string path, string reason)
    {
        await Mock.ResetAsync();
        var (status, body) = await ChatAsync("gemini", _imageHost + path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Equal("image_fetch_failed", body["error"]!["code"]!.GetValue<string>());
        var message = body["error"]!["message"]!.GetValue<string>();
        Assert.True(message.Contains(reason, StringComparison.Ordinal), message);
        Assert.Empty(await Mock.RequestsAsync());
    }

    [Fact]
    public async Task A_failed_fetch_is_a_400_in_the_Anthropic_dialect()
    {
        var (status, body) = await MessagesAsync("gemini", $"{_imageHost}/missing.png");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("could not be fetched", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gemini", "file:///etc/passwd", "'file:'")]
    [InlineData("gemini", "gopher://127.0.0.1:6379/_INFO", "'gopher:'")]
    [InlineData("gemini", "ftp://example.com/a.png", "'ftp:'")]
    [InlineData("claude", "file:///etc/passwd", "'file:'")]
    public async Task An_image_url_that_is_not_http_is_a_400_in_the_OpenAI_dialect_naming_the_field(string model, string url, string scheme)
    {
        await Mock.ResetAsync();
        var (status, body) = await ChatAsync(model, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("messages[0].content[0].image_url.url", error["param"]!.GetValue<string>());
        Assert.Contains(scheme, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await Mock.RequestsAsync());
    }

    [Theory]
    [InlineData("gemini", "file:///etc/passwd")]
    [InlineData("gemini", "gopher://example.com/x")]
    [InlineData("gpt", "ftp://example.com/a.png")]
    public async Task An_image_url_that_is_not_http_is_a_400_in_the_Anthropic_dialect_naming_the_field(string model, string url)
    {
        await Mock.ResetAsync();
        var (status, body) = await MessagesAsync(model, url);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        var message = body["error"]!["message"]!.GetValue<string>();
        Assert.True(message.Contains("source.url", StringComparison.Ordinal) && message.Contains("http or https", StringComparison.Ordinal), message);
        Assert.Empty(await Mock.RequestsAsync());
    }

    [Fact]
    public async Task Document_by_url_to_an_OpenAI_upstream_is_a_400_in_the_Anthropic_dialect()
    {
        using var http = AnthropicHttp();
        var response = await http.PostAsync("/v1/messages", Json("""
            {"model":"gpt","max_tokens":50,"messages":[{"role":"user","content":[
              {"type":"document","source":{"type":"url","url":"https://example.invalid/report.pdf"}},
              {"type":"text","text":"summarise"}]}]}
            """));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("document given by URL", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]                                       // the image host on loopback, as the tests above use it
    [InlineData("http://169.254.169.254/latest/meta-data")] // cloud metadata
    [InlineData("http://[::ffff:10.0.0.1]/x.png")]           // a private address hidden in IPv6
    [InlineData("http://localhost:1/x.png")]                 // a name that resolves to loopback
    [InlineData("http://[::127.0.0.1]/x.png")]               // IPv4-compatible loopback
    [InlineData("http://[2002:a9fe:a9fe::1]/x.png")]         // 6to4 of the cloud metadata address
    [InlineData("http://[64:ff9b::7f00:1]/x.png")]           // NAT64 of loopback
    public async Task By_default_the_gateway_does_not_fetch_images_from_its_own_network(string url)
    {
        await using var strict = await GatewayInstance.StartAsync(TestConfigs.WithKeys(Mock.BaseUrl, ExtraProviders, ExtraModels));
        await Mock.ResetAsync();
        using var http = strict.Client();
        http.DefaultRequestHeaders.Add("Authorization", "Bearer " + TestConfigs.AliceKey);
        var image = url.Length == 0 ? $"{_imageHost}/pixel.png" : url;
        var response = await http.PostAsync("/v1/chat/completions", Json(JsonSerializer.Serialize(new
        {
            model = "gemini",
            messages = new object[] { new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = image } } } } },
        })));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("image_fetch_failed", body["error"]!["code"]!.GetValue<string>());
        Assert.Contains("private, loopback or link-local", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await Mock.RequestsAsync());
    }

    private async Task<JsonNode> LastUpstreamBodyAsync() =>
        JsonNode.Parse((await Mock.LastRequestAsync()).GetProperty("body").GetString()!)!;

    private async Task<(HttpStatusCode, JsonNode)> ChatAsync(string model, string imageUrl)
    {
        using var http = Gateway.Client();
        http.DefaultRequestHeaders.Add("Authorization", "Bearer " + TestConfigs.AliceKey);
        var json = JsonSerializer.Serialize(new
        {
            model,
            messages = new object[]
            {
                new
                {
                    role = "user",
                    content = new object[] { new { type = "image_url", image_url = new { url = imageUrl } }, new { type = "text", text = "what is it" } },
                },
            },
        });
        var response = await http.PostAsync("/v1/chat/completions", Json(json));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<(HttpStatusCode, JsonNode)> MessagesAsync(string model, string imageUrl)
    {
        using var http = AnthropicHttp();
        var json = $$$"""
            {"model":"{{{model}}}","max_tokens":100,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"url","url":"{{{imageUrl}}}"}},{"type":"text","text":"what is it"}]}]}
            """;
        var response = await http.PostAsync("/v1/messages", Json(json));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
