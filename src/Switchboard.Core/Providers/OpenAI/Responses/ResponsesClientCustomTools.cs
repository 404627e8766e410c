using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// Responses <c>custom</c> (free-form) tools, offered to upstreams without them as a function with one string argument
/// <c>input</c>: the schema of that argument, and the way back from such a function call's JSON to the free text.
/// </summary>
public static class ResponsesClientCustomTools
{
    /// <summary><c>{"type":"object","properties":{"input":{"type":"string"}},"required":["input"],"additionalProperties":false}</c>.</summary>
    public static JsonElement InputSchema { get; } = JsonElement.Parse(
        """{"type":"object","properties":{"input":{"type":"string","description":"The tool input, as free text."}},"required":["input"],"additionalProperties":false}""");

    /// <summary>Whether <paramref name="name"/> is a custom tool of <paramref name="request"/>.</summary>
    public static bool IsCustom(ChatRequest? request, string name) => request is not null && IsCustom(request.Tools, name);

    /// <summary>Whether <paramref name="name"/> is a custom tool among <paramref name="tools"/>.</summary>
    public static bool IsCustom(System.Collections.Immutable.ImmutableArray<ToolDefinition> tools, string name)
    {
        foreach (var tool in tools)
        {
            if (tool is FunctionTool { Kind: ToolCallKind.Custom } function && function.Name == name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The function-form arguments of a custom tool call's free text: <c>{"input": "..."}</c>.</summary>
    public static string ArgumentsOf(string input)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(input.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, Translation.Json.WireWriting.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("input"u8, input);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The free text of a call to a custom tool: the <c>input</c> string of the arguments when they are
    /// <c>{"input": "..."}</c> (the function form), else the arguments as they are (the model wrote the text itself).</summary>
    public static string InputOf(string arguments)
    {
        try
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.String)
            {
                return input.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: already free text.
        }
        return arguments;
    }
}
