using System.Text.Json;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// One thing that happened in a streamed response. The set is closed; dialect stream readers turn
/// upstream frames into these and dialect stream writers turn them into client frames.
/// </summary>
/// <remarks>
/// Ordering rules every reader keeps: <see cref="StreamStartEvent"/> comes first, once; within a choice,
/// a tool call's <see cref="ToolCallStartEvent"/> precedes its argument deltas; <see cref="FinishEvent"/>
/// is the last event of its choice; <see cref="UsageEvent"/> and <see cref="StreamErrorEvent"/> may come
/// at any point after the start (usage normally last). A thinking block ends at its
/// <see cref="SignatureDeltaEvent"/> or at the first non-thinking event of its choice.
/// Events a reader gets from one upstream frame are handed to the writer together, so it can put them
/// in one client frame.
/// </remarks>
public abstract record StreamEvent;

/// <summary>An event that belongs to one choice (0 unless the client asked for several).</summary>
public abstract record ChoiceStreamEvent(int ChoiceIndex) : StreamEvent;

/// <summary>The response begins: the identity every client frame repeats.</summary>
public sealed record StreamStartEvent(string Id, string Model, long Created) : StreamEvent
{
    public string? SystemFingerprint { get; init; }
}

/// <summary>More answer text.</summary>
public sealed record TextDeltaEvent(int ChoiceIndex, string Text) : ChoiceStreamEvent(ChoiceIndex);

/// <summary>More refusal text (OpenAI <c>delta.refusal</c>).</summary>
public sealed record RefusalDeltaEvent(int ChoiceIndex, string Refusal) : ChoiceStreamEvent(ChoiceIndex);

/// <summary>More reasoning text (Anthropic <c>thinking_delta</c>, Gemini <c>thought</c> parts,
/// <c>reasoning_content</c> of DeepSeek and vLLM).</summary>
public sealed record ThinkingDeltaEvent(int ChoiceIndex, string Text) : ChoiceStreamEvent(ChoiceIndex);

/// <summary>The signature of the current thinking block (Anthropic <c>signature_delta</c>, a Gemini
/// <c>thoughtSignature</c> on a text part); it closes that block.</summary>
public sealed record SignatureDeltaEvent(int ChoiceIndex, string Signature) : ChoiceStreamEvent(ChoiceIndex);

/// <summary>A whole encrypted thinking block (Anthropic <c>redacted_thinking</c>).</summary>
public sealed record RedactedThinkingEvent(int ChoiceIndex, string Data) : ChoiceStreamEvent(ChoiceIndex);

/// <summary>
/// A tool call begins. <see cref="ToolIndex"/> is the source's own position for it (OpenAI tool call
/// index, Anthropic content block index, Gemini part index): it only has to be unique within the choice
/// and is repeated on <see cref="ToolCallArgumentsDeltaEvent"/>; writers renumber as their dialect needs.
/// </summary>
public sealed record ToolCallStartEvent(int ChoiceIndex, int ToolIndex, string? Id, string Name) : ChoiceStreamEvent(ChoiceIndex)
{
    /// <summary>Gemini <c>thoughtSignature</c> that came with the call; see <see cref="ToolCallPart.Signature"/>.</summary>
    public string? Signature { get; init; }

    /// <summary>Function (JSON argument fragments) or OpenAI custom tool (free-text input fragments); see
    /// <see cref="ToolCallPart.Kind"/>.</summary>
    public ToolCallKind Kind { get; init; }
}

/// <summary>A fragment of a tool call's arguments JSON text; fragments concatenate in order.</summary>
public sealed record ToolCallArgumentsDeltaEvent(int ChoiceIndex, int ToolIndex, string Fragment) : ChoiceStreamEvent(ChoiceIndex);

/// <summary>Log probabilities for the tokens of the same frame, raw in OpenAI's <c>logprobs</c> shape.</summary>
public sealed record LogprobsDeltaEvent(int ChoiceIndex, JsonElement Logprobs) : ChoiceStreamEvent(ChoiceIndex);

/// <summary>The choice is complete.</summary>
public sealed record FinishEvent(int ChoiceIndex, FinishReason Reason) : ChoiceStreamEvent(ChoiceIndex);

/// <summary>Token usage for the whole response so far (normally once, at the end).</summary>
public sealed record UsageEvent(Usage Usage) : StreamEvent;

/// <summary>
/// The upstream failed after the stream began. Writers emit it in their dialect's error frame, and the
/// stream must then end without a clean finish.
/// </summary>
public sealed record StreamErrorEvent(string Message) : StreamEvent
{
    /// <summary>Error type in OpenAI terms (<c>server_error</c>, <c>rate_limit_error</c>, ...).</summary>
    public string? Type { get; init; }

    public string? Code { get; init; }

    public string? Param { get; init; }
}

/// <summary>
/// A whole content block with no neutral meaning (Anthropic <c>server_tool_use</c>,
/// <c>web_search_tool_result</c>, <c>compaction</c>, ...), raw in the form of <see cref="Dialect"/>, for the
/// first choice. Writers of that dialect send it on as one block; writers of other dialects skip it, as
/// they skip a <see cref="ProviderPart"/>.
/// </summary>
public sealed record ProviderBlockEvent(string Dialect, string Type, JsonElement Block) : StreamEvent;
