using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Http;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Thinking blocks the gateway writes for an Anthropic client from another provider's reasoning: Gemini's thought
/// summaries (which have no signature) and Gemini's thought signatures, an OpenAI-compatible server's reasoning text,
/// a Responses upstream's encrypted reasoning. Each gets the signature <see cref="Prefix"/> + the provider's own
/// signature (possibly empty), never <c>""</c>, which a real Anthropic model refuses when the client sends that history
/// back. Read back from an Anthropic client, the prefix is taken off (<see cref="Unwrap"/>), so Gemini gets its own
/// signature again; relayed to an Anthropic upstream, such blocks are left out (<see cref="TryStrip"/>): no Claude
/// model could verify them, and they are another model's reasoning.
/// </summary>
public static class GatewayThinking
{
    /// <summary>Starts every signature the gateway writes; not base64, so no Anthropic signature starts so.</summary>
    public const string Prefix = "switchboard.v1.";

    /// <summary>How a gateway signature begins inside a JSON body: the string's opening quote and the prefix.</summary>
    private static ReadOnlySpan<byte> Marker => "\"switchboard.v1."u8;

    /// <summary>The signature an Anthropic client gets for another provider's <paramref name="signature"/> (null or empty: none).</summary>
    public static string Wrap(string? signature) => Prefix + signature;

    /// <summary>The provider's own signature inside a gateway signature (empty: it had none); any other signature as it is.</summary>
    public static string Unwrap(string signature) =>
        signature.StartsWith(Prefix, StringComparison.Ordinal) ? signature[Prefix.Length..] : signature;

    /// <summary>Whether <paramref name="body"/> may hold a gateway thinking block: one vectorized byte search.</summary>
    public static bool MayContain(ReadOnlySpan<byte> body) => body.IndexOf(Marker) >= 0;

    /// <summary>
    /// Writes <paramref name="body"/> (an Anthropic Messages request) without the gateway's thinking blocks into
    /// <paramref name="output"/>. False when there were none (or the body is not a request this can read): send it as is.
    /// A turn that would be left empty keeps its blocks (the upstream then says what is wrong).
    /// </summary>
    public static bool TryStrip(ReadOnlySpan<byte> body, PooledBuffer output)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }
        if (root?["messages"] is not JsonArray messages) return false;
        var stripped = false;
        foreach (var message in messages)
        {
            if (message?["content"] is not JsonArray content) continue;
            var kept = content.Count(block => !IsGatewayThinking(block));
            if (kept == content.Count || kept == 0) continue;
            for (var i = content.Count - 1; i >= 0; i--)
            {
                if (IsGatewayThinking(content[i])) content.RemoveAt(i);
            }
            stripped = true;
        }
        if (!stripped) return false;
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        root.WriteTo(writer);
        return true;
    }

    private static bool IsGatewayThinking(JsonNode? block) =>
        block is JsonObject obj && obj["type"] is JsonValue type && type.TryGetValue<string>(out var t) && t == "thinking"
        && obj["signature"] is JsonValue signature && signature.TryGetValue<string>(out var s) && s.StartsWith(Prefix, StringComparison.Ordinal);
}
