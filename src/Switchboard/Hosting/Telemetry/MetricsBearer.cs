using Microsoft.Extensions.Primitives;
using Switchboard.Auth;
using Switchboard.Errors;

namespace Switchboard.Hosting.Telemetry;

/// <summary>
/// <c>telemetry.metrics_token</c>: when set, a scrape needs <c>Authorization: Bearer &lt;token&gt;</c>, else a 401 in
/// the OpenAI error shape. Read from the current config on every scrape, so a reload changes it.
/// </summary>
internal static class MetricsBearer
{
    private static readonly GatewayError Refused = GatewayError.InvalidApiKey(
        "GET /metrics needs Authorization: Bearer <token>, the token set as telemetry.metrics_token.");

    public static Task CheckAsync(HttpContext context, RequestDelegate next, RuntimeHolder runtimes)
    {
        var token = runtimes.Current.Config.Telemetry.MetricsToken;
        if (token is null || Presents(context.Request.Headers.Authorization, token)) return next(context);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ErrorResponses.WriteOpenAIAsync(context.Response, Refused);
    }

    /// <summary>The bearer token, compared in constant time (<see cref="SecretComparison"/>).</summary>
    private static bool Presents(StringValues header, string token)
    {
        const string scheme = "Bearer ";
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        return SecretComparison.Matches(value.AsSpan(scheme.Length).Trim(), token);
    }
}
