using Microsoft.AspNetCore.Http;

namespace Switchboard.Auth;

/// <summary>
/// Finds the client's key wherever its SDK puts it: <c>Authorization: Bearer</c> (OpenAI), <c>x-api-key</c>
/// (Anthropic), <c>api-key</c> (Azure), <c>x-goog-api-key</c> or <c>?key=</c> (Gemini).
/// </summary>
public static class ApiKeyExtractor
{
    public static string? Extract(HttpRequest request)
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
        var query = request.Query["key"].ToString();
        return query.Length > 0 ? query : null;
    }
}
