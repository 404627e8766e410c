using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Switchboard.Pipeline;

namespace Switchboard.Dialects;

/// <summary>
/// One client-facing POST route of a dialect, mapped with and without <c>/v1</c>: a proxied operation
/// (<see cref="Operation"/>), or an endpoint of its own (<see cref="Endpoint"/>, built once from the services).
/// </summary>
public sealed record ClientRoute(string Path, ProxyOperation? Operation = null, Func<IServiceProvider, RequestDelegate>? Endpoint = null)
{
    /// <summary>The prefixes the path is mapped under instead of <c>/v1</c> and none (Gemini: <c>/v1beta</c>, <c>/v1</c>); only with <see cref="Endpoint"/>.</summary>
    public IReadOnlyList<string>? Prefixes { get; init; }
}

/// <summary>A header a client's SDK puts its key in; <see cref="Bearer"/>: the value may start with <c>Bearer </c>.</summary>
public readonly record struct KeyHeader(string Name, bool Bearer = false);

/// <summary>
/// One client dialect as the gateway serves it: the dialect, its routes, which paths' errors it shapes, where its SDKs
/// put the key, and how its clients set their base URL. Each dialect declares one in its provider folder and is listed
/// once in <see cref="ClientDialects"/>.
/// </summary>
public sealed record ClientDialectRegistration
{
    public required IClientDialect Dialect { get; init; }

    public required ImmutableArray<ClientRoute> Routes { get; init; }

    /// <summary>
    /// Errors outside any handler (unknown path, wrong method, a crash) on a path containing this text (outside
    /// <c>/admin</c>) are written in this dialect, so its clients report the real problem; null: only by default.
    /// </summary>
    public string? ErrorPathMarker { get; init; }

    /// <summary>More texts that, like <see cref="ErrorPathMarker"/>, mark a path as this dialect's.</summary>
    public ImmutableArray<string> ErrorPathMarkers { get; init; } = [];

    /// <summary>Headers its SDKs send the key in, checked in this order after the dialects listed before this one.</summary>
    public ImmutableArray<KeyHeader> KeyHeaders { get; init; } = [];

    /// <summary>The fix named in the 404 for a path that repeats <c>/v1</c>.</summary>
    public required string DoubledV1Fix { get; init; }

    /// <summary>How its clients should set their base URL, ending "set your client's base URL to the gateway's address ...".</summary>
    public required string BaseUrlAdvice { get; init; }
}
