using Switchboard.Providers.Gemini;

namespace Switchboard.Core.Tests.Providers.Gemini;

public sealed class GeminiErrorAndDialectTests
{
    private static UpstreamErrorInfo? Read(string body) => GeminiErrorReader.Read(Encoding.UTF8.GetBytes(body));

    [Theory]
    [InlineData("21s", 21.0)]
    [InlineData("0.5s", 0.5)]
    [InlineData("34.4s", 34.4)]
    [InlineData("1.000000001s", 1.000000001)]
    public void Retry_delay_durations_are_read(string delay, double seconds)
    {
        var info = Read($$$"""{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"{{{delay}}}"}]}}""");
        Assert.Equal(TimeSpan.FromSeconds(seconds), info!.RetryAfter);
    }

    [Fact]
    public void Reason_and_field_come_from_ErrorInfo_and_BadRequest_details()
    {
        var info = Read("""
            [{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
              "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"},
                         {"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"contents[0].parts","description":"empty"}]}]}}]
            """);

        Assert.Equal(new UpstreamErrorInfo("INVALID_ARGUMENT", "API_KEY_INVALID", "API key not valid. Please pass a valid API key.", "contents[0].parts", null), info);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("")]
    [InlineData("{\"message\":\"no error member\"}")]
    [InlineData("[]")]
    public void Bodies_that_are_not_Google_errors_give_null(string body) => Assert.Null(Read(body));

    [Theory]
    [InlineData("gemini-2.5-flash", false, "models/gemini-2.5-flash:generateContent")]
    [InlineData("gemini-2.5-flash", true, "models/gemini-2.5-flash:streamGenerateContent?alt=sse")]
    [InlineData("models/gemini-3-pro-preview", false, "models/gemini-3-pro-preview:generateContent")]
    [InlineData("tunedModels/my-model-42", true, "tunedModels/my-model-42:streamGenerateContent?alt=sse")]
    public void Operation_paths(string model, bool stream, string expected)
    {
        Assert.Equal(expected, GeminiDialect.OperationPath(model, stream));
        Assert.Equal("/v1beta/" + expected, GeminiDialect.RequestPath(model, stream));
    }

    [Theory]
    [InlineData("https://generativelanguage.googleapis.com")]
    [InlineData("https://generativelanguage.googleapis.com/")]
    [InlineData("https://generativelanguage.googleapis.com/v1beta")]
    public void Request_uri_from_the_provider_base_url(string baseUrl)
    {
        Assert.Equal(
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            GeminiDialect.RequestUri(baseUrl, "gemini-2.5-flash", stream: true).ToString());
    }
}
