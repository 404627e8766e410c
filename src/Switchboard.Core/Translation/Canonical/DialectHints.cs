namespace Switchboard.Translation.Canonical;

/// <summary>
/// Purely presentational choices the client's dialect made that carry no meaning of their own. A writer
/// for the same dialect reproduces them, so read-then-write gives back what the client sent; writers for
/// other dialects ignore them. Nothing here may change what the model is asked to do.
/// </summary>
public sealed record DialectHints
{
    /// <summary>No hints: writers use their dialect's preferred spelling.</summary>
    public static DialectHints None { get; } = new();

    /// <summary>The wire name that held <see cref="ChatRequest.MaxOutputTokens"/> when the dialect has
    /// several (OpenAI: deprecated <c>max_tokens</c> vs <c>max_completion_tokens</c>); null = writer's choice.</summary>
    public string? MaxTokensField { get; init; }

    /// <summary>A single stop sequence was sent as a bare string rather than a one-element array.</summary>
    public bool StopAsString { get; init; }

    /// <summary>The client used OpenAI's deprecated <c>functions</c>/<c>function_call</c> fields
    /// instead of <c>tools</c>/<c>tool_choice</c>; tool calls without ids go with it.</summary>
    public bool LegacyFunctions { get; init; }

    /// <summary>The first message (a system message) travelled as the OpenAI Responses <c>instructions</c>
    /// member rather than as an input item.</summary>
    public bool SystemAsInstructions { get; init; }
}
