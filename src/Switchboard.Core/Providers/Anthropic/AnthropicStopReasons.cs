using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.Anthropic;

/// <summary>Anthropic <c>stop_reason</c> strings ⇄ <see cref="FinishReason"/>.</summary>
public static class AnthropicStopReasons
{
    public const string EndTurn = "end_turn";
    public const string StopSequence = "stop_sequence";
    public const string MaxTokens = "max_tokens";
    public const string ToolUse = "tool_use";
    public const string Refusal = "refusal";
    public const string PauseTurn = "pause_turn";
    public const string ContextWindowExceeded = "model_context_window_exceeded";

    /// <summary>The natural stop that JSON mode reports for the answer tool's <c>tool_use</c>.</summary>
    internal static FinishReason JsonAnswer { get; } = new(FinishReasonKind.Stop, EndTurn);

    /// <summary>Maps a wire value, keeping Anthropic's own word in <see cref="FinishReason.Value"/>;
    /// <c>pause_turn</c> and unknown values are <see cref="FinishReasonKind.Other"/>.</summary>
    public static FinishReason FromWire(string value) => value switch
    {
        EndTurn or StopSequence => new FinishReason(FinishReasonKind.Stop, value),
        MaxTokens or ContextWindowExceeded => new FinishReason(FinishReasonKind.Length, value),
        ToolUse => new FinishReason(FinishReasonKind.ToolCalls, value),
        Refusal => new FinishReason(FinishReasonKind.ContentFilter, value),
        _ => new FinishReason(FinishReasonKind.Other, value),
    };

    /// <summary>The Anthropic word for a reason: Anthropic's own word when it is one for the same kind,
    /// else the kind's usual word; <see cref="FinishReasonKind.Other"/> values pass through.</summary>
    public static string ToWire(FinishReason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return reason.Kind switch
        {
            FinishReasonKind.Stop => reason.Value is StopSequence ? StopSequence : EndTurn,
            FinishReasonKind.Length => reason.Value is ContextWindowExceeded ? ContextWindowExceeded : MaxTokens,
            FinishReasonKind.ToolCalls => ToolUse,
            FinishReasonKind.ContentFilter => Refusal,
            _ => reason.Value,
        };
    }
}
