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

    /// <summary>A query-string value of the current request (filters and ranges are plain GET forms).</summary>
    protected string? Query(string name) => HttpContext.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
}
