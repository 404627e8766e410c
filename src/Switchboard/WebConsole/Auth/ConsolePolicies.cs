using Microsoft.AspNetCore.Authorization;

namespace Switchboard.WebConsole.Auth;

/// <summary>The console's two authorization policies, on its own cookie scheme (never the admin API's bearer).</summary>
public static class ConsolePolicies
{
    /// <summary>Pages only the operator (master key) sees.</summary>
    public const string Operator = "console-operator";

    /// <summary>The key holder's own page.</summary>
    public const string KeyHolder = "console-key-holder";

    /// <summary>Any console session (the home page, which sends each role to its own start).</summary>
    public const string Any = "console-any";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Operator, policy => policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser()
            .RequireClaim(ConsoleClaims.Role, ConsoleClaims.OperatorRole));
        options.AddPolicy(KeyHolder, policy => policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser()
            .RequireClaim(ConsoleClaims.Role, ConsoleClaims.KeyRole));
        options.AddPolicy(Any, policy => policy.AddAuthenticationSchemes(ConsoleAuth.Scheme).RequireAuthenticatedUser()
            .RequireClaim(ConsoleClaims.Role, ConsoleClaims.OperatorRole, ConsoleClaims.KeyRole));
    }
}
