namespace Switchboard.Translation.Canonical;

/// <summary>Why generation ended, in provider-neutral terms.</summary>
public enum FinishReasonKind
{
    /// <summary>Natural end or a stop sequence (OpenAI <c>stop</c>, Anthropic <c>end_turn</c>/<c>stop_sequence</c>, Gemini <c>STOP</c>).</summary>
    Stop,
    /// <summary>Token cap reached (OpenAI <c>length</c>, Anthropic <c>max_tokens</c>, Gemini <c>MAX_TOKENS</c>).</summary>
    Length,
    /// <summary>The turn ends in tool calls (OpenAI <c>tool_calls</c>/<c>function_call</c>, Anthropic <c>tool_use</c>).</summary>
    ToolCalls,
    /// <summary>Output withheld by a safety system (OpenAI <c>content_filter</c>, Anthropic <c>refusal</c>, Gemini <c>SAFETY</c> and kin).</summary>
    ContentFilter,
    /// <summary>Anything else (Anthropic <c>pause_turn</c>, Gemini <c>MALFORMED_FUNCTION_CALL</c>, server-specific values); see <see cref="FinishReason.Value"/>.</summary>
    Other,
}

/// <summary>
/// A finish reason: its neutral <see cref="Kind"/> plus the provider's own word in <see cref="Value"/>,
/// so a writer of the same dialect can give back exactly what the upstream said (e.g. Anthropic
/// <c>stop_sequence</c> vs <c>end_turn</c>) and any writer can pass unknown values through.
/// </summary>
public sealed record FinishReason(FinishReasonKind Kind, string Value)
{
    public static FinishReason Stop { get; } = new(FinishReasonKind.Stop, "stop");

    public static FinishReason Length { get; } = new(FinishReasonKind.Length, "length");

    public static FinishReason ToolCalls { get; } = new(FinishReasonKind.ToolCalls, "tool_calls");

    public static FinishReason ContentFilter { get; } = new(FinishReasonKind.ContentFilter, "content_filter");
}
