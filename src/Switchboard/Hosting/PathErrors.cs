using Switchboard.Dialects;
using Switchboard.Errors;

namespace Switchboard.Hosting;

/// <summary>
/// Errors the gateway answers outside any handler (no route, a wrong method, an unexpected failure), shaped in the
/// dialect the path implies (<see cref="ClientDialects.ForErrorsOn"/>: Anthropic's on any path naming <c>/messages</c>),
/// the admin shape (OpenAI's, as every admin error) on <c>/admin</c>, the default dialect's (OpenAI's) everywhere else.
/// </summary>
public static class PathErrors
{
    public static Task WriteAsync(HttpContext context, GatewayError error) =>
        ClientDialects.ForErrorsOn(context.Request.Path.Value ?? "") is { } dialect
            ? dialect.Dialect.WriteErrorAsync(context.Response, error)
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

    /// <summary>The routes a 404 may point to: every dialect's, and the gateway's own model listing (OpenAI-shaped).</summary>
    private static readonly (string Path, ClientDialectRegistration Dialect)[] KnownRoutes =
        [.. ClientDialects.Routes.Select(r => (r.Route.Path, r.Dialect)), ("/models", ClientDialects.Default)];

    /// <summary>A 404 that names the likely fix: a base URL ending in /v1 doubled into /v1/v1, or a known route under a foreign prefix.</summary>
    public static GatewayError UnknownPath(string method, string path)
    {
        var unknown = $"Unknown request URL: {method} {path}.";
        if (path.StartsWith("/v1/v1/", StringComparison.OrdinalIgnoreCase) || path.Equals("/v1/v1", StringComparison.OrdinalIgnoreCase))
        {
            var fix = (ClientDialects.ForErrorsOn(path) ?? ClientDialects.Default).DoubledV1Fix;
            return GatewayError.NotFound($"{unknown} The path repeats /v1: {fix}.");
        }
        foreach (var (route, dialect) in KnownRoutes)
        {
            var at = path.IndexOf(route, StringComparison.OrdinalIgnoreCase);
            if (at > 0 && path.Length - at <= route.Length + 1 && !path.StartsWith("/v1" + route, StringComparison.OrdinalIgnoreCase))
            {
                return GatewayError.NotFound($"{unknown} The gateway serves this at /v1{route}: set your client's base URL to the gateway's address "
                    + dialect.BaseUrlAdvice);
            }
        }
        return GatewayError.NotFound($"{unknown} Please check the URL for typos.");
    }
}
