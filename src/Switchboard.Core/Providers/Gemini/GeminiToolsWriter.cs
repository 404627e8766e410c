using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Writes <c>tools</c> and <c>toolConfig</c>.
/// </summary>
/// <remarks>
/// Function parameters go in <c>parametersJsonSchema</c>, not <c>parameters</c>. Google's reference
/// describes <c>parameters</c> as a subset of the OpenAPI 3.0 Schema object (upper-case types, no
/// <c>$ref</c>/<c>$defs</c>, unknown keywords such as <c>$schema</c> refused), so using it means rewriting
/// and stripping every client schema, which loses meaning. <c>parametersJsonSchema</c> takes the JSON
/// Schema clients already send (<c>$ref</c>, <c>anyOf</c>, <c>additionalProperties</c>, ...), is
/// "mutually exclusive with parameters", and unsupported keywords are tolerated rather than refused, so
/// the schema is passed through untouched. Structured output makes the same choice
/// (<c>responseJsonSchema</c> rather than <c>responseSchema</c>).
/// </remarks>
internal static class GeminiToolsWriter
{
    public static void WriteTools(Utf8JsonWriter writer, ChatRequest request)
    {
        var functions = 0;
        var builtIns = 0;
        foreach (var tool in request.Tools)
        {
            if (tool is FunctionTool)
            {
                functions++;
            }
            else if (tool is ProviderTool { Dialect: GeminiDialect.Name })
            {
                builtIns++;
            }
        }
        if (functions + builtIns == 0)
        {
            return;
        }

        writer.WriteStartArray("tools"u8);
        if (functions > 0)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("functionDeclarations"u8);
            foreach (var tool in request.Tools)
            {
                if (tool is FunctionTool function)
                {
                    WriteDeclaration(writer, function);
                }
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        foreach (var tool in request.Tools)
        {
            // Gemini's own built-in tools ({"googleSearch": {}}, {"codeExecution": {}}) pass as they came;
            // other providers' built-ins are left out, as the OpenAI writer does.
            if (tool is ProviderTool { Dialect: GeminiDialect.Name } builtIn)
            {
                builtIn.Raw.WriteTo(writer);
            }
        }
        writer.WriteEndArray();

        if (functions > 0 && request.ToolChoice is { } choice)
        {
            WriteToolConfig(writer, choice);
        }
    }

    private static void WriteDeclaration(Utf8JsonWriter writer, FunctionTool function)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, function.Name);
        if (function.Description is not null)
        {
            writer.WriteString("description"u8, function.Description);
        }
        if (function.Parameters is { ValueKind: JsonValueKind.Object } parameters)
        {
            writer.WritePropertyName("parametersJsonSchema"u8);
            parameters.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    /// <summary>auto → AUTO, none → NONE, required → ANY, a named function → ANY limited to it; OpenAI
    /// <c>allowed_tools</c> → ANY (required) or VALIDATED (auto) limited to the listed functions.</summary>
    private static void WriteToolConfig(Utf8JsonWriter writer, ToolChoice choice)
    {
        writer.WriteStartObject("toolConfig"u8);
        writer.WriteStartObject("functionCallingConfig"u8);
        switch (choice.Mode)
        {
            case ToolChoiceMode.Auto:
                writer.WriteString("mode"u8, "AUTO"u8);
                break;
            case ToolChoiceMode.None:
                writer.WriteString("mode"u8, "NONE"u8);
                break;
            case ToolChoiceMode.Required:
                writer.WriteString("mode"u8, "ANY"u8);
                break;
            case ToolChoiceMode.Named:
                writer.WriteString("mode"u8, "ANY"u8);
                writer.WriteStartArray("allowedFunctionNames"u8);
                writer.WriteStringValue(choice.Name);
                writer.WriteEndArray();
                break;
            default:
                WriteAllowedTools(writer, choice);
                break;
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteAllowedTools(Utf8JsonWriter writer, ToolChoice choice)
    {
        if (choice.Raw is not { ValueKind: JsonValueKind.Object } raw
            || !raw.TryGetProperty("allowed_tools"u8, out var allowed) || allowed.ValueKind != JsonValueKind.Object
            || !allowed.TryGetProperty("tools"u8, out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            throw Fail("tool_choice", "this tool_choice form cannot be expressed for Gemini");
        }
        var required = allowed.TryGetProperty("mode"u8, out var mode) && mode.ValueKind == JsonValueKind.String && mode.ValueEquals("required"u8);
        writer.WriteString("mode"u8, required ? "ANY"u8 : "VALIDATED"u8);
        writer.WriteStartArray("allowedFunctionNames"u8);
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("function"u8, out var function)
                || function.ValueKind != JsonValueKind.Object || !function.TryGetProperty("name"u8, out var name)
                || name.ValueKind != JsonValueKind.String)
            {
                throw Fail("tool_choice.allowed_tools.tools", "Gemini can only be limited to function tools");
            }
            writer.WriteStringValue(name.GetString());
        }
        writer.WriteEndArray();
    }
}
