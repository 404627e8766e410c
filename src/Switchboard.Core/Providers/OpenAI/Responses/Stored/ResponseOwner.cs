using Switchboard.Auth;

namespace Switchboard.Providers.OpenAI.Responses.Stored;

/// <summary>Whose a stored response is: the creating key's id (never its secret).</summary>
public static class ResponseOwner
{
    /// <summary>
    /// The key's id; the master key and open mode's anonymous caller, which have none, get a name no key id takes
    /// (key ids are <c>key_…</c>), so their responses are theirs alone.
    /// </summary>
    public static string Of(ClientIdentity identity) => identity.KeyId ?? (identity.IsAnonymous ? "@anonymous" : "@master");
}
