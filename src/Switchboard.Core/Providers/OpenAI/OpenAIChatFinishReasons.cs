using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI;

/// <summary>OpenAI <c>finish_reason</c> strings ⇄ <see cref="FinishReason"/>.</summary>
public static class OpenAIChatFinishReasons
{
    private static readonly FinishReason FunctionCall = new(FinishReasonKind.ToolCalls, "function_call");

    /// <summary>Maps a wire value; unknown values (servers add their own) are kept as <see cref="FinishReasonKind.Other"/>.</summary>
    public static FinishReason FromWire(string value) => value switch
    {
        "stop" => FinishReason.Stop,
        "length" => FinishReason.Length,
        "tool_calls" => FinishReason.ToolCalls,
        "content_filter" => FinishReason.ContentFilter,
        "function_call" => FunctionCall,
        _ => new FinishReason(FinishReasonKind.Other, value),
    };

    /// <summary>
    /// The OpenAI word for a reason. Known kinds get OpenAI's canonical word whatever the upstream said
    /// (Anthropic <c>end_turn</c> becomes <c>stop</c>); <c>function_call</c> survives for legacy clients;
    /// anything else passes through as the upstream said it.
    /// </summary>
    public static string ToWire(FinishReason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return reason.Kind switch
        {
            FinishReasonKind.Stop => "stop",
            FinishReasonKind.Length => "length",
            FinishReasonKind.ToolCalls => reason.Value == "function_call" ? "function_call" : "tool_calls",
            FinishReasonKind.ContentFilter => "content_filter",
            _ => reason.Value,
        };
    }
}
