using System.Collections.Immutable;
using System.Text.Json;

namespace Switchboard.Translation.Canonical;

/// <summary>A complete (non-streamed) chat response in provider-neutral form.</summary>
public sealed record ChatResponse
{
    /// <summary>Provider response id (OpenAI <c>chatcmpl-...</c>, Anthropic <c>msg_...</c>, Gemini <c>responseId</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The model that answered, as the upstream reported it.</summary>
    public required string Model { get; init; }

    /// <summary>Unix time in seconds; readers of dialects without one use the time of reading.</summary>
    public long Created { get; init; }

    /// <summary>OpenAI backend configuration fingerprint; null when not reported.</summary>
    public string? SystemFingerprint { get; init; }

    public ImmutableArray<ChatChoice> Choices { get; init; } = [];

    public Usage? Usage { get; init; }

    /// <summary>Top-level members with no canonical field (e.g. <c>service_tier</c>), raw, for a same-dialect writer.</summary>
    public ImmutableArray<ExtensionField> Extensions { get; init; } = [];

    /// <summary>The dialect this response was read from; see <see cref="ChatRequest.SourceDialect"/>.</summary>
    public string? SourceDialect { get; init; }
}

/// <summary>One alternative answer: an assistant <see cref="Message"/>, why it ended, and its raw
/// log probabilities (OpenAI <c>logprobs</c> object) when requested.</summary>
public sealed record ChatChoice(int Index, Message Message)
{
    public FinishReason? FinishReason { get; init; }

    public JsonElement? Logprobs { get; init; }
}
