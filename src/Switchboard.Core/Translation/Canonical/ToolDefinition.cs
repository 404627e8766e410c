using System.Collections.Immutable;
using System.Text.Json;

namespace Switchboard.Translation.Canonical;

/// <summary>A tool offered to the model: a <see cref="FunctionTool"/> or a <see cref="ProviderTool"/>.</summary>
public abstract record ToolDefinition
{
    /// <summary>Prompt-cache breakpoint after this tool (Anthropic <c>cache_control</c>); null = none.</summary>
    public CacheControl? CacheControl { get; init; }

    /// <summary>Members of the tool's wire definition with no canonical field (e.g. Anthropic
    /// <c>defer_loading</c>, <c>input_examples</c>), raw, for a writer of the request's source dialect only.</summary>
    public ImmutableArray<ExtensionField> Extensions { get; init; } = [];
}

/// <summary>
/// A function the model may call with JSON arguments. <see cref="Parameters"/> is the JSON Schema of
/// the arguments (null = no parameters); <see cref="Strict"/> asks for schema-exact arguments.
/// </summary>
public sealed record FunctionTool(string Name) : ToolDefinition
{
    public string? Description { get; init; }

    public JsonElement? Parameters { get; init; }

    public bool? Strict { get; init; }

    /// <summary><see cref="ToolCallKind.Custom"/> for an OpenAI Responses <c>custom</c> (free-form) tool offered as a
    /// function with one string argument <c>input</c>: calls to it go back to the client as custom tool calls.</summary>
    public ToolCallKind Kind { get; init; }
}

/// <summary>
/// A tool that is not a plain function (OpenAI <c>custom</c>, Anthropic server tools such as
/// <c>web_search_20250305</c>, Gemini <c>googleSearch</c>), kept raw in the form of the
/// <see cref="Dialect"/> it came from. Writers for that dialect write <see cref="Raw"/> back; others
/// must leave it out or refuse the request.
/// </summary>
public sealed record ProviderTool(string Dialect, string Type, JsonElement Raw) : ToolDefinition;
