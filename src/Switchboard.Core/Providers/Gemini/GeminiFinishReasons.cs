using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Gemini;

/// <summary>Gemini <c>finishReason</c> and <c>blockReason</c> words → <see cref="FinishReason"/>, keeping the word in <see cref="FinishReason.Value"/>.</summary>
public static class GeminiFinishReasons
{
    /// <summary>
    /// <c>STOP</c> → stop, or tool_calls when the candidate called functions (Gemini says <c>STOP</c>
    /// either way); <c>MAX_TOKENS</c> → length; the safety family (<c>SAFETY</c>, <c>RECITATION</c>,
    /// <c>BLOCKLIST</c>, <c>PROHIBITED_CONTENT</c>, <c>SPII</c>, <c>IMAGE_SAFETY</c>, ...) → content_filter;
    /// anything else (<c>MALFORMED_FUNCTION_CALL</c>, <c>OTHER</c>, <c>LANGUAGE</c>, ...) kept as it is.
    /// </summary>
    public static FinishReason FromWire(string value, bool hasToolCalls)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value switch
        {
            "STOP" => new FinishReason(hasToolCalls ? FinishReasonKind.ToolCalls : FinishReasonKind.Stop, value),
            "MAX_TOKENS" => new FinishReason(FinishReasonKind.Length, value),
            "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY"
                or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" => new FinishReason(FinishReasonKind.ContentFilter, value),
            _ => new FinishReason(FinishReasonKind.Other, value),
        };
    }

    /// <summary>A <c>promptFeedback.blockReason</c>: the prompt was refused, always content_filter.</summary>
    public static FinishReason FromBlockReason(string blockReason) => new(FinishReasonKind.ContentFilter, blockReason);

    /// <summary>The text a blocked prompt is answered with when Gemini gives no <c>blockReasonMessage</c>.</summary>
    public static string BlockedMessage(string blockReason, string? message) =>
        message ?? $"The prompt was blocked by Gemini ({blockReason}).";
}
