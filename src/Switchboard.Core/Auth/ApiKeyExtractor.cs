using Microsoft.AspNetCore.Http;

namespace Switchboard.Auth;

/// <summary>
/// Finds the client's key wherever its SDK puts it: <c>Authorization: Bearer</c> (OpenAI), <c>x-api-key</c>
/// (Anthropic), <c>api-key</c> (Azure), <c>x-goog-api-key</c> or <c>?key=</c> (Gemini).
/// </summary>
public static class ApiKeyExtractor
{
    /// <summary>The key from the headers, else from <c>?key=</c> (client-facing routes).</summary>
    public static string? Extract(HttpRequest request)
    {
        if (ExtractFromHeaders(request) is { } fromHeaders) return fromHeaders;
        var query = request.Query["key"].ToString();
        return query.Length > 0 ? query : null;
    }

    /// <summary>
    /// The key from the headers only. The master key is taken only this way: a URL ends up in access logs, proxy logs
    /// and browser history, so <c>?key=</c> never authorizes <c>/admin</c>.
    /// </summary>
    public static string? ExtractFromHeaders(HttpRequest request)
    {
        var headers = request.Headers;
        var authorization = headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? authorization[7..].Trim()
                : authorization.Trim();
        }
        foreach (var name in (ReadOnlySpan<string>)["x-api-key", "api-key", "x-goog-api-key"])
        {
            var value = headers[name].ToString();
            if (value.Length > 0) return value.Trim();
        }
        return null;
    }
}
