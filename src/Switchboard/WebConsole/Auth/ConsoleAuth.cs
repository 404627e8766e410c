using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Switchboard.Auth;
using Switchboard.Storage.Keys;

namespace Switchboard.WebConsole.Auth;

/// <summary>
/// The console's sign-in: a key is exchanged once for a session cookie (ASP.NET Core's cookie authentication, its
/// ticket encrypted by Data Protection) that carries who signed in, never the key. Every request re-checks the session
/// against the live state: a changed master key ends operator sessions, a revoked or expired key ends its holder's.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "switchboard-console";
    public const string CookieName = "sb_console";
    public const string SignInPath = "/ui/sign-in";
    public const string ReturnParameter = "return";

    /// <summary>How long a session lasts without use (each use within it renews it).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = CookieName;
        options.Cookie.Path = "/ui";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        // Secure whenever the console is reached over TLS (directly or through a proxy that says so).
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = SessionLifetime;
        options.SlidingExpiration = true;
        options.LoginPath = SignInPath;
        options.AccessDeniedPath = "/ui";
        options.ReturnUrlParameter = ReturnParameter;
        options.Events.OnValidatePrincipal = ValidateAsync;
    }

    /// <summary>
    /// The session for a presented key, or null: the master key gives the operator, an active unexpired virtual key its
    /// holder. Checked as the gateway checks an API request's key (<see cref="ClientAuthenticator"/>); the anonymous
    /// user of open mode has no key id and gets no session.
    /// </summary>
    public static async ValueTask<ClaimsPrincipal?> PrincipalForAsync(string presented, GatewayRuntime runtime, TimeProvider time, CancellationToken cancel)
    {
        if (string.IsNullOrEmpty(presented)) return null;
        if (ClientAuthenticator.IsMaster(presented, runtime)) return Principal(ConsoleClaims.OperatorRole, new Claim(ConsoleClaims.MasterFingerprint, Fingerprint(presented)));
        var (identity, _) = await ClientAuthenticator.AuthenticateAsync(presented, runtime, time, cancel).ConfigureAwait(false);
        if (identity?.KeyId is not { } keyId) return null;
        return Principal(ConsoleClaims.KeyRole, new Claim(ConsoleClaims.KeyId, keyId), new Claim(ConsoleClaims.Name, identity.Name));
    }

    private static ClaimsPrincipal Principal(string role, params Claim[] claims) =>
        new(new ClaimsIdentity([new Claim(ConsoleClaims.Role, role), .. claims], Scheme));

    /// <summary>Ends a session whose credential no longer holds (checked on every console request).</summary>
    private static Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var runtime = services.GetRequiredService<RuntimeHolder>().Current;
        if (!StillValid(context.Principal, runtime, services.GetRequiredService<KeyDirectory>(), services.GetRequiredService<TimeProvider>()))
        {
            context.RejectPrincipal();
            return context.HttpContext.SignOutAsync(Scheme);
        }
        return Task.CompletedTask;
    }

    private static bool StillValid(ClaimsPrincipal? principal, GatewayRuntime runtime, KeyDirectory keys, TimeProvider time)
    {
        if (principal is null || ConsoleSession.From(principal) is not { } session) return false;
        if (session.IsOperator)
        {
            return !string.IsNullOrEmpty(runtime.MasterKey)
                && string.Equals(principal.FindFirst(ConsoleClaims.MasterFingerprint)?.Value, Fingerprint(runtime.MasterKey), StringComparison.Ordinal);
        }
        return keys.FindActiveById(session.KeyId!) is { } identity && !(identity.ExpiresAt is { } expires && expires <= time.GetUtcNow());
    }

    /// <summary>16 hex digits of the master key's SHA-256: tells two master keys apart, says nothing usable about either.</summary>
    private static string Fingerprint(string masterKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(masterKey)))[..16];
}
