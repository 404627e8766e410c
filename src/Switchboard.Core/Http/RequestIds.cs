using Microsoft.AspNetCore.Http;

namespace Switchboard.Http;

/// <summary>
/// The request id every response carries as <c>x-request-id</c>: always the gateway's own (<see cref="NewId"/>), which
/// keys the request's ledger row. A client's own id (<c>x-client-request-id</c>, as the OpenAI API calls it, or
/// <c>x-request-id</c>) is never the key — five requests sent with one id are five rows — but is kept beside it
/// (<see cref="ClientId"/>, the ledger's <c>client_request_id</c>) and echoed as <c>x-client-request-id</c>.
/// </summary>
public static class RequestIds
{
    public const string Header = "x-request-id";
    /// <summary>The client's own id, echoed on the response (and read from the request, before <see cref="Header"/>).</summary>
    public const string ClientHeader = "x-client-request-id";
    private const string Prefix = "req_";

    /// <summary>
    /// Assigns the request's id once, first thing in the pipeline: always a fresh one, so no client can make two
    /// requests share a ledger row. It lives in <see cref="HttpContext.TraceIdentifier"/> (so framework logs carry it
    /// too) rather than in <see cref="HttpContext.Items"/>, which allocates per request.
    /// </summary>
    public static string Assign(HttpContext context)
    {
        var id = NewId();
        context.TraceIdentifier = id;
        return id;
    }

    /// <summary>
    /// The id the client sent (<c>x-client-request-id</c>, else <c>x-request-id</c>) when it is short and printable
    /// (at most 128 characters of letters, digits and <c>-_.:</c>), else null. Read from the request headers each time
    /// rather than kept per request (no per-request allocation when the client sends none).
    /// </summary>
    public static string? ClientId(HttpContext context)
    {
        var headers = context.Request.Headers;
        var own = headers[ClientHeader].ToString();
        if (IsAcceptable(own)) return own;
        var incoming = headers[Header].ToString();
        return IsAcceptable(incoming) ? incoming : null;
    }

    /// <summary>"req_" and 32 hex digits, time first (see <see cref="WireIds.TimeOrdered"/>).</summary>
    public static string NewId() => WireIds.TimeOrdered(Prefix);

    /// <summary>The id <see cref="Assign"/> gave this request.</summary>
    public static string Get(HttpContext context) => context.TraceIdentifier;

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
