using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Switchboard.WebConsole.Auth;

/// <summary>
/// <c>POST /ui/auth/sign-in</c> (form: <c>key</c>, <c>return</c>) and <c>POST /ui/auth/sign-out</c>. Both are forms
/// from the console's pages, so both check the antiforgery token. The key arrives in the form body only, never in a
/// URL, and is neither logged nor echoed: a failure answers with a redirect to the sign-in page and a reason code.
/// </summary>
public static class ConsoleAuthEndpoints
{
    public static void MapConsoleAuth(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ui/auth/sign-in", SignInAsync);
        app.MapPost("/ui/auth/sign-out", (Delegate)SignOutAsync);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, [FromForm(Name = "key")] string? key, [FromForm(Name = "return")] string? returnTo,
        RuntimeHolder runtimes, SignInThrottle throttle, TimeProvider time)
    {
        var address = SignInThrottle.AddressOf(context);
        if (!throttle.MayTry(address)) return Back("throttled", returnTo);
        var principal = await ConsoleAuth.PrincipalForAsync(key?.Trim() ?? "", runtimes.Current, time, context.RequestAborted);
        if (principal is null)
        {
            throttle.RecordFailure(address);
            return Back("invalid", returnTo);
        }
        await context.SignInAsync(ConsoleAuth.Scheme, principal, new AuthenticationProperties { IsPersistent = false });
        return Results.LocalRedirect(SafeReturn(returnTo));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(ConsoleAuth.Scheme);
        return Results.LocalRedirect(ConsoleAuth.SignInPath + "?signed_out=1");
    }

    private static IResult Back(string error, string? returnTo)
    {
        var query = $"?error={error}";
        if (SafeReturn(returnTo) is var target && target != "/ui") query += "&return=" + Uri.EscapeDataString(target);
        return Results.Redirect(ConsoleAuth.SignInPath + query);
    }

    /// <summary>Only a console path may be returned to (no open redirect).</summary>
    public static string SafeReturn(string? returnTo) =>
        returnTo is not null && returnTo.StartsWith("/ui", StringComparison.Ordinal) && !returnTo.StartsWith("/ui/auth/", StringComparison.Ordinal)
            && !returnTo.Contains("//", StringComparison.Ordinal) && !returnTo.Contains('\\', StringComparison.Ordinal)
            ? returnTo : "/ui";
}
