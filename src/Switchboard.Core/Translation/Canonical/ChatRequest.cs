using System.Collections.Immutable;

namespace Switchboard.Translation.Canonical;

/// <summary>
/// A chat request in provider-neutral form: what every client dialect is read into and every upstream
/// dialect is written from. Unset optional values are null (or empty) and mean "the provider's default".
/// </summary>
/// <remarks>
/// Conventions that readers and writers of every dialect follow:
/// <list type="bullet">
/// <item>System and developer instructions are ordinary <see cref="Message"/>s at their position in
/// <see cref="Messages"/>; dialects with a separate system field (Anthropic <c>system</c>, Gemini
/// <c>systemInstruction</c>) hoist them when writing and prepend them when reading.</item>
/// <item>Tool results are <see cref="ToolResultPart"/>s and may sit in a <see cref="ChatRole.Tool"/>
/// message (OpenAI: one per result) or in a <see cref="ChatRole.User"/> message next to other parts
/// (Anthropic); writers regroup them as their dialect requires.</item>
/// <item>Opaque JSON (schemas, unknown fields) is kept as <see cref="System.Text.Json.JsonElement"/>
/// values that own their memory, so a request outlives the buffer it was read from.</item>
/// </list>
/// </remarks>
public sealed record ChatRequest
{
    /// <summary>The model name as the client sent it; writers substitute the upstream model id.</summary>
    public required string Model { get; init; }

    /// <summary>The conversation, oldest first.</summary>
    public ImmutableArray<Message> Messages { get; init; } = [];

    /// <summary>Tools the model may call.</summary>
    public ImmutableArray<ToolDefinition> Tools { get; init; } = [];

    /// <summary>How the model must choose among <see cref="Tools"/>; null = provider default.</summary>
    public ToolChoice? ToolChoice { get; init; }

    /// <summary>Whether several tool calls may come in one turn (Anthropic: inverse of <c>disable_parallel_tool_use</c>).</summary>
    public bool? ParallelToolCalls { get; init; }

    /// <summary>Plain text, any JSON object, or JSON matching a schema.</summary>
    public ResponseFormat? ResponseFormat { get; init; }

    /// <summary>Cap on generated tokens, reasoning included where the provider counts it (OpenAI
    /// <c>max_completion_tokens</c>/<c>max_tokens</c>, Anthropic <c>max_tokens</c>, Gemini <c>maxOutputTokens</c>).</summary>
    public int? MaxOutputTokens { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    /// <summary>Top-k sampling: native to Anthropic and Gemini, accepted by many OpenAI-compatible servers.</summary>
    public int? TopK { get; init; }

    public double? FrequencyPenalty { get; init; }

    public double? PresencePenalty { get; init; }

    /// <summary>Sequences that end generation when produced.</summary>
    public ImmutableArray<string> StopSequences { get; init; } = [];

    /// <summary>Number of alternative completions (Gemini <c>candidateCount</c>).</summary>
    public int? N { get; init; }

    public long? Seed { get; init; }

    /// <summary>Whether the client wants server-sent events; null = not said (no stream).</summary>
    public bool? Stream { get; init; }

    /// <summary>True when the response is to be streamed.</summary>
    public bool IsStreaming => Stream == true;

    /// <summary>Whether the client asked for a final usage report in the stream (OpenAI
    /// <c>stream_options.include_usage</c>); null = not said. The gateway may ask the upstream for usage
    /// regardless and drop it on the way out when this is not true.</summary>
    public bool? IncludeUsage { get; init; }

    /// <summary>Members of OpenAI <c>stream_options</c> other than <c>include_usage</c>, kept raw.</summary>
    public ImmutableArray<ExtensionField> StreamOptionsExtensions { get; init; } = [];

    /// <summary>Reasoning ("thinking") controls; null = provider default.</summary>
    public ReasoningOptions? Reasoning { get; init; }

    /// <summary>Whether to return log probabilities of the output tokens.</summary>
    public bool? Logprobs { get; init; }

    /// <summary>How many alternatives to report per token position (0-20) when <see cref="Logprobs"/> is on.</summary>
    public int? TopLogprobs { get; init; }

    /// <summary>End-user identifier (OpenAI <c>user</c>, Anthropic <c>metadata.user_id</c>).</summary>
    public string? User { get; init; }

    /// <summary>Free key/value tags (OpenAI <c>metadata</c>); null = not sent.</summary>
    public ImmutableDictionary<string, string>? Metadata { get; init; }

    /// <summary>
    /// Top-level members of the client's request that have no canonical field, in the order received,
    /// kept raw. A writer for the same dialect writes them back unchanged (so provider features this model
    /// does not know still reach a same-dialect upstream); writers for other dialects ignore them.
    /// </summary>
    public ImmutableArray<ExtensionField> Extensions { get; init; } = [];

    /// <summary>Cosmetic choices of the client's wire form, so a same-dialect round trip is exact.</summary>
    public DialectHints Hints { get; init; } = DialectHints.None;

    /// <summary>
    /// The dialect this request was read from (e.g. <c>openai-chat</c>); null for requests built in code.
    /// Raw <see cref="Extensions"/> (here and on messages) and <see cref="Hints"/> are in that dialect's
    /// terms, so writers honour them only when it is their own dialect, or null.
    /// </summary>
    public string? SourceDialect { get; init; }
}
