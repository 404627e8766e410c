namespace Switchboard.Translation.Canonical;

/// <summary>
/// The model calls a tool. <see cref="Arguments"/> is the JSON text exactly as produced (OpenAI sends a
/// string that may even be invalid JSON; Anthropic <c>input</c> and Gemini <c>args</c> objects are
/// serialized to text). <see cref="Id"/> is null where the dialect has none (Gemini, OpenAI legacy
/// <c>function_call</c>). <see cref="Signature"/> is Gemini's <c>thoughtSignature</c> on a
/// <c>functionCall</c>, which must be echoed back with the call.
/// </summary>
public sealed record ToolCallPart(string? Id, string Name, string Arguments) : ContentPart
{
    public string? Signature { get; init; }

    /// <summary>Function (JSON arguments) or OpenAI custom tool (free-text input in <see cref="Arguments"/>).</summary>
    public ToolCallKind Kind { get; init; }
}

/// <summary>What sort of tool a <see cref="ToolCallPart"/> calls.</summary>
public enum ToolCallKind
{
    Function,
    /// <summary>OpenAI custom (free-form grammar) tool: arguments are plain text, not JSON.</summary>
    Custom,
}
