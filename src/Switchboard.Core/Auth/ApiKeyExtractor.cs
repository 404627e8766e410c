using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;

namespace Switchboard.Auth;

/// <summary>
/// Finds the client's key wherever its SDK puts it: in the headers the client dialects declare
/// (<see cref="ClientDialects.KeyHeaders"/>: <c>Authorization: Bearer</c>, <c>x-api-key</c>, ...), or in <c>?key=</c> (Gemini's SDKs).
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
        foreach (var header in ClientDialects.KeyHeaders)
        {
            var value = headers[header.Name].ToString();
            if (value.Length == 0) continue;
            return header.Bearer && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value[7..].Trim() : value.Trim();
        }
        return null;
    }
}
