using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Fuzz;
using Switchboard.Hosting;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// Issue 19 item 11: the catch-all 500 answered in the OpenAI shape on Anthropic paths. Whatever the path, the
/// gateway's own errors now carry x-request-id and the path's dialect.
/// </summary>
public sealed class PathErrorsTests
{
    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/messages/count_tokens")]
    [InlineData("/v1/chat/completions")]
    [InlineData("/admin/keys")]
    public async Task Unexpected_failure_answers_500_in_the_paths_dialect_with_a_request_id(string path)
    {
        var middleware = new RequestIdMiddleware(_ => throw new InvalidOperationException("boom"), NullLogger<RequestIdMiddleware>.Instance);
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        var body = new MemoryStream();
        context.Response.Body = body;

        await middleware.InvokeAsync(context);

        Assert.Equal(500, context.Response.StatusCode);
        Assert.False(string.IsNullOrEmpty(context.Response.Headers["x-request-id"]));
        Assert.Null(ResponseCheck.ShapeProblem(FuzzCase.DialectOf(path), body.ToArray()));
        Assert.Contains("failed to handle the request", Encoding.UTF8.GetString(body.ToArray()), StringComparison.Ordinal);
    }
}
