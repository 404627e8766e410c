using Microsoft.AspNetCore.Http;

namespace Switchboard.Http;

/// <summary>The request id every response carries as <c>x-request-id</c>.</summary>
public static class RequestIds
{
    public const string Header = "x-request-id";
    private const string Prefix = "req_";

    /// <summary>
    /// Assigns the request's id once, first thing in the pipeline: the client's own <c>x-request-id</c> when it is
    /// short and printable (so traces join up), else a fresh one. It lives in <see cref="HttpContext.TraceIdentifier"/>
    /// (so framework logs carry it too) rather than in <see cref="HttpContext.Items"/>, which allocates per request.
    /// </summary>
    public static string Assign(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        var id = IsAcceptable(incoming) ? incoming : NewId();
        context.TraceIdentifier = id;
        return id;
    }

    /// <summary>"req_" and 32 random hex digits, built in one allocation (ids need to be unique, not secret).</summary>
    private static string NewId() => string.Create(Prefix.Length + 32, 0, static (span, _) =>
    {
        Prefix.CopyTo(span);
        Span<byte> random = stackalloc byte[16];
        Random.Shared.NextBytes(random);
        Convert.TryToHexStringLower(random, span[Prefix.Length..], out _);
    });

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
