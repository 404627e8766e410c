using Microsoft.AspNetCore.Components;
using Switchboard.WebConsole.Auth;

namespace Switchboard.WebConsole.Components;

/// <summary>
/// Base of every console page: the request (static server rendering runs inside it) and who is signed in. Pages are
/// authorized by their <c>[Authorize(Policy = …)]</c> attribute before they render, so <see cref="Session"/> is set.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter] public HttpContext HttpContext { get; set; } = default!;

    protected ConsoleSession Session => ConsoleSession.From(HttpContext.User)
        ?? throw new InvalidOperationException("A console page rendered without a console session.");

    protected CancellationToken Aborted => HttpContext.RequestAborted;

    /// <summary>
    /// The page, rendered as usual, goes out with <paramref name="status"/> (a 404 for an unknown id, a 503 while the
    /// database is away). Set when the headers are sent, not while rendering: static rendering writes no body for a
    /// page whose status is already 404 when it finishes (it leaves that to a router not-found page, which the console
    /// has none of), and the gateway would then answer the browser with an API-shaped JSON 404.
    /// </summary>
    public static void RespondWith(HttpContext context, int status) => context.Response.OnStarting(() =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    /// <summary>A query-string value of the current request (filters and ranges are plain GET forms).</summary>
    protected string? Query(string name) => HttpContext.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
}
