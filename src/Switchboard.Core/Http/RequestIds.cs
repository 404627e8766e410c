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

    /// <summary>
    /// "req_" and 32 hex digits, built in one allocation: 12 digits of the Unix time in milliseconds, then 80 random bits
    /// (ids need to be unique, not secret). Time first so that ids made one after another sort together: the usage
    /// ledger's unique index on request_id then grows at its right edge instead of taking each new id at a random page.
    /// With random ids that index cost ≈ 15 µs of the ≈ 27 µs of CPU per ledger row in SQLite (every row dirtied, and
    /// wrote to the WAL, a different 4 KB page; bench/Switchboard.Bench.Storage --ledger, docs/storage.md).
    /// </summary>
    private static string NewId() => string.Create(Prefix.Length + 32, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), static (span, ms) =>
    {
        Prefix.CopyTo(span);
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 5; i >= 0; i--, ms >>= 8) bytes[i] = (byte)ms;
        Random.Shared.NextBytes(bytes[6..]);
        Convert.TryToHexStringLower(bytes, span[Prefix.Length..], out _);
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
