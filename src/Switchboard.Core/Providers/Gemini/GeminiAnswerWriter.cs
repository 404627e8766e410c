using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Gemini;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// The pieces of a <c>GenerateContentResponse</c> the gateway writes to Gemini clients, whole or streamed:
/// answer parts (thoughts, text, function calls, media, each with its <c>thoughtSignature</c>), finish reasons and
/// <c>usageMetadata</c>.
/// </summary>
internal static class GeminiAnswerWriter
{
    /// <summary>
    /// Writes the parts; a signature-only thinking part (how the canonical model carries a signature on the next
    /// text or call) is put on the part after it, or written alone when none follows.
    /// </summary>
    public static void WriteParts(Utf8JsonWriter writer, IEnumerable<ContentPart> parts)
    {
        string? pending = null;
        foreach (var part in parts)
        {
            switch (part)
            {
                case ThinkingPart { Text.Length: 0, Signature: { Length: > 0 } signature }:
                    if (pending is not null) GeminiPartWriter.WriteText(writer, "", thought: false, pending);
                    pending = signature;
                    break;
                case SignedThoughtEnd end:
                    GeminiPartWriter.WriteText(writer, "", thought: true, end.Signature);
                    break;
                case ThinkingPart thinking:
                    GeminiPartWriter.WriteText(writer, thinking.Text, thought: true, thinking.Signature is { Length: > 0 } s ? s : null);
                    break;
                case TextPart text:
                    GeminiPartWriter.WriteText(writer, text.Text, thought: false, Take(ref pending));
                    break;
                case RefusalPart refusal:
                    GeminiPartWriter.WriteText(writer, refusal.Refusal, thought: false, Take(ref pending));
                    break;
                case ToolCallPart call:
                    WriteFunctionCall(writer, call.Id, call.Name, call.Arguments, call.Signature ?? Take(ref pending));
                    break;
                case ImagePart or AudioPart or FilePart:
                    GeminiPartWriter.WriteMedia(writer, part, Take(ref pending), 0);
                    break;
                case ProviderPart { Dialect: GeminiDialect.Name } own:
                    own.Raw.WriteTo(writer);
                    break;
                default:
                    // Anthropic redacted thinking, other providers' own blocks: nothing a Gemini client can read.
                    break;
            }
        }
        if (pending is not null) GeminiPartWriter.WriteText(writer, "", thought: false, pending);
    }

    /// <summary>
    /// The signature that closes a streamed thought (Anthropic signs the thinking text): written on an empty thought
    /// part, so a client that drops thoughts from its history (Gemini CLI) drops it with them, rather than sending a
    /// signature back without the text it signs.
    /// </summary>
    internal sealed record SignedThoughtEnd(string Signature) : ContentPart;

    /// <summary>A whole function call; arguments that are not a JSON object (a model's malformed output) go as <c>{}</c>.</summary>
    public static void WriteFunctionCall(Utf8JsonWriter writer, string? id, string name, string arguments, string? signature)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("functionCall"u8);
        if (id is not null) writer.WriteString("id"u8, id);
        writer.WriteString("name"u8, name);
        writer.WritePropertyName("args"u8);
        if (IsJsonObject(arguments)) writer.WriteRawValue(arguments, skipInputValidation: true);
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        if (signature is not null) writer.WriteString("thoughtSignature"u8, signature);
        writer.WriteEndObject();
    }

    /// <summary>Gemini's finish reason: its own value when it came from Gemini, else the nearest word.</summary>
    public static string FinishReason(FinishReason reason) => reason.Kind switch
    {
        _ when IsGeminiWord(reason.Value) => reason.Value,
        FinishReasonKind.Stop or FinishReasonKind.ToolCalls => "STOP",
        FinishReasonKind.Length => "MAX_TOKENS",
        FinishReasonKind.ContentFilter => "SAFETY",
        _ => "OTHER",
    };

    /// <summary>
    /// <c>usageMetadata</c>: Gemini counts thoughts apart from <c>candidatesTokenCount</c>, the canonical model
    /// counts them in the completion, so they are taken out again.
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter writer, Usage usage)
    {
        var thoughts = usage.ReasoningTokens ?? 0;
        writer.WriteStartObject("usageMetadata"u8);
        writer.WriteNumber("promptTokenCount"u8, usage.PromptTokens);
        writer.WriteNumber("candidatesTokenCount"u8, Math.Max(0, usage.CompletionTokens - thoughts));
        writer.WriteNumber("totalTokenCount"u8, usage.Total);
        if (usage.CachedPromptTokens is > 0) writer.WriteNumber("cachedContentTokenCount"u8, usage.CachedPromptTokens.Value);
        if (thoughts > 0) writer.WriteNumber("thoughtsTokenCount"u8, thoughts);
        writer.WriteEndObject();
    }

    private static bool IsGeminiWord(string value)
    {
        if (value.Length == 0) return false;
        foreach (var c in value)
        {
            if (c is not ((>= 'A' and <= 'Z') or '_')) return false;
        }
        return true;
    }

    private static string? Take(ref string? pending)
    {
        var taken = pending;
        pending = null;
        return taken;
    }

    private static bool IsJsonObject(string text)
    {
        if (!text.AsSpan().TrimStart().StartsWith("{")) return false;
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text));
            reader.Read();
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
