using Microsoft.AspNetCore.Http;

namespace Switchboard.Http;

/// <summary>The request id every response carries as <c>x-request-id</c>.</summary>
public static class RequestIds
{
    public const string Header = "x-request-id";
    private const string ItemKey = "switchboard.request_id";

    /// <summary>
    /// The id for this request: the client's own <c>x-request-id</c> when it is short and printable
    /// (so traces join up), else a fresh one. Cached on the context.
    /// </summary>
    public static string Get(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var existing) && existing is string id) return id;
        var incoming = context.Request.Headers[Header].ToString();
        id = IsAcceptable(incoming) ? incoming : "req_" + Guid.NewGuid().ToString("N");
        context.Items[ItemKey] = id;
        return id;
    }

    private static bool IsAcceptable(string value)
    {
        if (value.Length is 0 or > 128) return false;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')) return false;
        }
        return true;
    }
}
