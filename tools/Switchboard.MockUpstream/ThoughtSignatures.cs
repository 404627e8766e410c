using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.MockUpstream;

/// <summary>
/// The opaque signatures the mock puts on thinking output. Deterministic (a keyed hash of the content), so the
/// mock can tell a signature it issued from a forged, edited or dropped one without keeping any state.
/// </summary>
internal static class ThoughtSignatures
{
    private static readonly byte[] Key = "switchboard-mock-thought-signature"u8.ToArray();

    /// <summary>Anthropic: <c>sig_</c> plus a base64url hash of the thinking text.</summary>
    public static string ForAnthropic(string thinking) => "sig_" + Base64Url.EncodeToString(Hash(thinking));

    public static bool IsValidAnthropic(string thinking, string signature) =>
        string.Equals(signature, ForAnthropic(thinking), StringComparison.Ordinal);

    /// <summary>Gemini: standard base64 bytes (the field is proto <c>bytes</c>), derived from what the turn contained.</summary>
    public static string ForGemini(string seed) => Convert.ToBase64String(Hash("gemini:" + seed));

    private static byte[] Hash(string text) => HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(text));
}
