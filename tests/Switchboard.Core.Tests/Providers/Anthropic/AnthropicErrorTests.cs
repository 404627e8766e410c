namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>Anthropic error bodies read from upstreams and written for <c>/v1/messages</c> clients.</summary>
public sealed class AnthropicErrorTests
{
    [Fact]
    public void Error_body_is_read()
    {
        var info = AnthropicErrorReader.Read("""{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"""u8);
        Assert.NotNull(info);
        Assert.Equal(("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"), (info.Type, info.Message));
        Assert.Null(info.Code);
        Assert.Null(info.Param);
        Assert.Null(info.RetryAfter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("""{"message":"no error member"}""")]
    [InlineData("""{"error":"a string"}""")]
    [InlineData("[1]")]
    public void Other_bodies_are_not_Anthropic_errors(string body) =>
        Assert.Null(AnthropicErrorReader.Read(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Error_body_is_written()
    {
        JsonSemantic.Equal(
            """{"type":"error","error":{"type":"not_found_error","message":"The model `x` does not exist or you do not have access to it."}}""",
            Canon.Utf8(AnthropicErrorWriter.ToUtf8Bytes(AnthropicErrorTypes.NotFound, "The model `x` does not exist or you do not have access to it.")));
        JsonSemantic.Equal(
            """{"type":"error","error":{"type":"api_error","message":"m"},"request_id":"req_1"}""",
            Canon.Utf8(AnthropicErrorWriter.ToUtf8Bytes("api_error", "m", "req_1")));
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(422, "invalid_request_error")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(502, "api_error")]
    [InlineData(504, "api_error")]
    [InlineData(529, "overloaded_error")]
    public void Statuses_map_to_Anthropic_types_and_back(int status, string type)
    {
        Assert.Equal(type, AnthropicErrorTypes.ForStatus(status));
        Assert.Equal(status is 422 ? 400 : status is 502 or 504 ? 500 : status, AnthropicErrorTypes.StatusOf(type));
    }

    [Theory]
    [InlineData("server_error", null, "api_error")]
    [InlineData("server_error", "overloaded_error", "overloaded_error")]
    [InlineData("requests", "rate_limit_exceeded", "rate_limit_error")]
    [InlineData("insufficient_quota", "insufficient_quota", "rate_limit_error")]
    [InlineData("invalid_request_error", "model_not_found", "invalid_request_error")]
    [InlineData("upstream_error", "upstream_timeout", "api_error")]
    [InlineData(null, null, "api_error")]
    public void Canonical_error_types_map_to_Anthropic(string? type, string? code, string expected) =>
        Assert.Equal(expected, AnthropicErrorTypes.FromCanonical(type, code));
}
