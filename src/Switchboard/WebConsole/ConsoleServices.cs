using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.FileProviders;
using Switchboard.WebConsole.Auth;
using Switchboard.WebConsole.Components;
using Switchboard.WebConsole.Usage;

namespace Switchboard.WebConsole;

/// <summary>
/// The web console (<c>/ui</c>): Razor components rendered on the server (static SSR: plain HTML and forms, no
/// WebSocket circuit, no WebAssembly, no script required), its own cookie sign-in, antiforgery on every form, and its
/// stylesheet embedded in the assembly. Everything runs only for paths under <c>/ui</c>: the API routes pass by it.
/// </summary>
public static class ConsoleServices
{
    public const string PathPrefix = "/ui";

    private static readonly string[] FrameworkMiddlewareMarkers =
        ["__AuthenticationMiddlewareSet", "__AuthorizationMiddlewareSet", "__AntiforgeryMiddlewareSet"];

    public static IServiceCollection AddWebConsole(this IServiceCollection services, string dataDirectory)
    {
        services.AddRazorComponents();
        services.AddAuthentication(ConsoleAuth.Scheme).AddCookie(ConsoleAuth.Scheme, ConsoleAuth.Configure);
        services.AddAuthorization(ConsolePolicies.Add);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "sb_console_csrf";
            options.Cookie.Path = PathPrefix;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Session cookies stay valid across restarts: the key ring lives beside the data.
        services.AddDataProtection()
            .SetApplicationName("switchboard-console")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "console-keys")));
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<Forms.FormSubmissions>();
        return services;
    }

    /// <summary>The console's middleware (only for <c>/ui</c> paths) and its endpoints.</summary>
    public static void MapWebConsole(this WebApplication app)
    {
        var assets = new ManifestEmbeddedFileProvider(typeof(ConsoleServices).Assembly, "WebConsole/Assets");
        app.UseWhen(context => context.Request.Path.StartsWithSegments(PathPrefix), branch =>
        {
            branch.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = assets,
                RequestPath = PathPrefix + "/assets",
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "public, max-age=3600",
            });
            branch.UseAuthentication();
            branch.UseAuthorization();
            branch.UseAntiforgery();
            branch.Use(static (context, next) =>
            {
                // Pages show usage and key names: never cached by a shared cache, never framed, no sniffing.
                var headers = context.Response.Headers;
                headers.CacheControl = "no-store";
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'";
                return next(context);
            });
        });
        // WebApplication adds UseAuthentication, UseAuthorization and UseAntiforgery to the front of the main pipeline
        // (before every other middleware, for every request) when their services are registered and the app has not
        // called them itself; called in the branch above they do not count. These are the markers those Use* calls set
        // (ASP.NET Core's AuthAppBuilderExtensions, AuthorizationAppBuilderExtensions, AntiforgeryApplicationBuilder-
        // Extensions): the API routes must not pay for the console's cookie check. SignInTests checks the order.
        foreach (var marker in FrameworkMiddlewareMarkers) ((IApplicationBuilder)app).Properties[marker] = true;
        app.MapConsoleAuth();
        app.MapUsageCsv();
        app.MapRazorComponents<App>();
    }
}
