using System.Security.Claims;

namespace Switchboard.WebConsole.Auth;

/// <summary>
/// Who is signed in to the console: the operator (the master key) or one key holder (a virtual key). Read from the
/// session cookie's claims; never holds a secret.
/// </summary>
public sealed record ConsoleSession(ConsoleRole Role, string Name, string? KeyId)
{
    public bool IsOperator => Role == ConsoleRole.Operator;

    public static ConsoleSession? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var role = user.FindFirstValue(ConsoleClaims.Role);
        return role switch
        {
            ConsoleClaims.OperatorRole => new ConsoleSession(ConsoleRole.Operator, "operator", null),
            ConsoleClaims.KeyRole when user.FindFirstValue(ConsoleClaims.KeyId) is { } keyId =>
                new ConsoleSession(ConsoleRole.KeyHolder, user.FindFirstValue(ConsoleClaims.Name) ?? keyId, keyId),
            _ => null,
        };
    }
}

public enum ConsoleRole
{
    Operator,
    KeyHolder,
}

/// <summary>The session cookie's claim types and values.</summary>
public static class ConsoleClaims
{
    public const string Role = "sb_role";
    public const string OperatorRole = "operator";
    public const string KeyRole = "key";
    public const string KeyId = "sb_key_id";
    public const string Name = "sb_name";

    /// <summary>
    /// For the operator: a fingerprint of the master key the session was opened with (a truncated SHA-256, not the
    /// key), so a changed master key ends every operator session at its next request.
    /// </summary>
    public const string MasterFingerprint = "sb_master";
}
