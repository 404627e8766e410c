using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Switchboard.Errors;

namespace Switchboard.Auth;

/// <summary>Decides who a request is from, against the current runtime's key store.</summary>
public static class ClientAuthenticator
{
    public static (ClientIdentity? Identity, GatewayError? Error) Authenticate(HttpRequest request, GatewayRuntime runtime, TimeProvider time)
    {
        var secret = ApiKeyExtractor.Extract(request);
        if (runtime.IsOpenMode) return (ClientIdentity.Anonymous, null);
        if (string.IsNullOrEmpty(secret))
        {
            return (null, GatewayError.InvalidApiKey(
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' (or x-api-key / api-key)."));
        }
        if (IsMaster(secret, runtime)) return (MasterIdentity, null);
        if (!runtime.Keys.TryFind(secret, out var identity))
        {
            // Never echo any part of the presented secret.
            return (null, GatewayError.InvalidApiKey(runtime.Keys.IsRevoked(secret)
                ? "This API key has been revoked."
                : "Incorrect API key provided."));
        }
        if (identity.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return (null, GatewayError.InvalidApiKey("This API key has expired."));
        }
        return (identity, null);
    }

    /// <summary>The operator holding the master key may also call every model (as with LiteLLM's master key).</summary>
    private static readonly ClientIdentity MasterIdentity = new() { Name = "master" };

    /// <summary>Constant-time check of the master key for the admin API.</summary>
    public static bool IsMasterKey(HttpRequest request, GatewayRuntime runtime) => IsMaster(ApiKeyExtractor.Extract(request), runtime);

    private static bool IsMaster(string? presented, GatewayRuntime runtime)
    {
        var master = runtime.Config.MasterKey;
        if (string.IsNullOrEmpty(master) || string.IsNullOrEmpty(presented)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(master), Encoding.UTF8.GetBytes(presented));
    }
}
