using Switchboard.Providers.Anthropic;
using Switchboard.Errors;

namespace Switchboard.Hosting;

/// <summary>
/// Errors the gateway answers outside any handler (no route, a wrong method, an unexpected failure), shaped in the
/// dialect the path implies: Anthropic's on any path naming <c>/messages</c> (<c>/v1/messages</c>, its
/// <c>count_tokens</c>, and mistakes such as <c>/v1/v1/messages</c>, so Claude Code reports the real problem), the
/// admin shape (OpenAI's, as every admin error) on <c>/admin</c>, OpenAI's everywhere else.
/// </summary>
public static class PathErrors
{
    public static bool IsAnthropicPath(string path) =>
        !path.StartsWith("/admin", StringComparison.OrdinalIgnoreCase) && path.Contains("/messages", StringComparison.OrdinalIgnoreCase);

    public static Task WriteAsync(HttpContext context, GatewayError error) =>
        IsAnthropicPath(context.Request.Path.Value ?? "")
            ? AnthropicClientDialect.Instance.WriteErrorAsync(context.Response, error)
            : ErrorResponses.WriteOpenAIAsync(context.Response, error);

    /// <summary>
    /// The error for a response the pipeline ended with an error status and nothing written: routing found no endpoint
    /// (404) or only endpoints for other methods (405, whose <c>Allow</c> header routing has set), or a framework
    /// component refused the request without a body.
    /// </summary>
    public static GatewayError ForBodilessStatus(HttpContext context)
    {
        var request = context.Request;
        var status = context.Response.StatusCode;
        return status switch
        {
            404 => UnknownPath(request.Method, request.Path.Value ?? "/"),
            405 => GatewayError.MethodNotAllowed(context.Response.Headers.Allow is { Count: > 0 } allow
                ? $"Method {request.Method} is not allowed on {request.Path}; it accepts {allow}."
                : $"Method {request.Method} is not allowed on {request.Path}."),
            413 => GatewayError.PayloadTooLarge(Switchboard.Http.RequestBodyReader.MaxBodyBytes),
            >= 500 => GatewayError.Internal($"The gateway failed to handle the request (request id {Switchboard.Http.RequestIds.Get(context)})."),
            _ => new GatewayError(status, "invalid_request_error", null, $"The request was refused (HTTP {status}).", ErrorDisposition.ClientFault),
        };
    }

    private static readonly string[] KnownRoutes = ["/chat/completions", "/completions", "/embeddings", "/messages/count_tokens", "/messages", "/models"];

    /// <summary>A 404 that names the likely fix: a base URL ending in /v1 doubled into /v1/v1, or a known route under a foreign prefix.</summary>
    public static GatewayError UnknownPath(string method, string path)
    {
        var unknown = $"Unknown request URL: {method} {path}.";
        if (path.StartsWith("/v1/v1/", StringComparison.OrdinalIgnoreCase) || path.Equals("/v1/v1", StringComparison.OrdinalIgnoreCase))
        {
            var fix = IsAnthropicPath(path)
                ? "remove the trailing /v1 from your base URL (ANTHROPIC_BASE_URL is the gateway's address without /v1, e.g. http://127.0.0.1:4000)"
                : "remove the trailing /v1 from your base URL (or the /v1 your client adds): the gateway's routes begin with a single /v1";
            return GatewayError.NotFound($"{unknown} The path repeats /v1: {fix}.");
        }
        foreach (var route in KnownRoutes)
        {
            var at = path.IndexOf(route, StringComparison.OrdinalIgnoreCase);
            if (at > 0 && path.Length - at <= route.Length + 1 && !path.StartsWith("/v1" + route, StringComparison.OrdinalIgnoreCase))
            {
                return GatewayError.NotFound($"{unknown} The gateway serves this at /v1{route}: set your client's base URL to the gateway's address "
                    + (route.StartsWith("/messages", StringComparison.Ordinal) ? "without a path (Anthropic clients add /v1 themselves)." : "plus /v1."));
            }
        }
        return GatewayError.NotFound($"{unknown} Please check the URL for typos.");
    }
}
