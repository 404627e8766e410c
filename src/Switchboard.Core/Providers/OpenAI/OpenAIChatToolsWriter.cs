using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>Writes <c>tools</c>/<c>tool_choice</c> (or legacy <c>functions</c>/<c>function_call</c>) and <c>response_format</c>.</summary>
internal static class OpenAIChatToolsWriter
{
    public static void WriteTools(Utf8JsonWriter writer, ChatRequest request, bool legacyFunctions)
    {
        if (legacyFunctions && AllFunctions(request))
        {
            WriteLegacy(writer, request);
            return;
        }

        if (HasWritableTool(request))
        {
            writer.WriteStartArray("tools"u8);
            foreach (var tool in request.Tools)
            {
                switch (tool)
                {
                    case FunctionTool function:
                        writer.WriteStartObject();
                        writer.WriteString("type"u8, "function"u8);
                        writer.WritePropertyName("function"u8);
                        WriteFunction(writer, function);
                        WireWriting.WriteCacheControl(writer, function.CacheControl);
                        writer.WriteEndObject();
                        break;
                    case ProviderTool provider when provider.Dialect == OpenAIChatDialect.Name:
                        provider.Raw.WriteTo(writer);
                        break;
                    default:
                        // Another provider's built-in tool (web search, code execution): nothing here runs it.
                        break;
                }
            }
            writer.WriteEndArray();
        }

        var choice = request.ToolChoice;
        if (choice is null)
        {
            return;
        }
        writer.WritePropertyName("tool_choice"u8);
        switch (choice.Mode)
        {
            case ToolChoiceMode.Auto:
                writer.WriteStringValue("auto"u8);
                break;
            case ToolChoiceMode.None:
                writer.WriteStringValue("none"u8);
                break;
            case ToolChoiceMode.Required:
                writer.WriteStringValue("required"u8);
                break;
            case ToolChoiceMode.Named:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, choice.Name);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            default:
                if (choice.Raw is { } raw)
                {
                    raw.WriteTo(writer);
                }
                else
                {
                    writer.WriteStringValue("auto"u8);
                }
                break;
        }
    }

    public static void WriteResponseFormat(Utf8JsonWriter writer, ResponseFormat? format)
    {
        if (format is null)
        {
            return;
        }
        writer.WriteStartObject("response_format"u8);
        WriteFormatMembers(writer, format, nestSchema: true);
        writer.WriteEndObject();
    }

    private static void WriteFunction(Utf8JsonWriter writer, FunctionTool function)
    {
        writer.WriteStartObject();
        WriteNamedSchema(writer, function.Name, function.Description, "parameters"u8, function.Parameters, function.Strict);
        writer.WriteEndObject();
    }

    /// <summary>The members a function and a structured-output format share: a name, an optional description, a
    /// JSON Schema under <paramref name="schemaMember"/>, and <c>strict</c>; absent ones are left out.</summary>
    internal static void WriteNamedSchema(Utf8JsonWriter writer, string name, string? description, ReadOnlySpan<byte> schemaMember, JsonElement? schema, bool? strict)
    {
        writer.WriteString("name"u8, name);
        if (description is not null)
        {
            writer.WriteString("description"u8, description);
        }
        if (schema is { } body)
        {
            writer.WritePropertyName(schemaMember);
            body.WriteTo(writer);
        }
        if (strict is { } isStrict)
        {
            writer.WriteBoolean("strict"u8, isStrict);
        }
    }

    private static void WriteLegacy(Utf8JsonWriter writer, ChatRequest request)
    {
        if (!request.Tools.IsDefaultOrEmpty)
        {
            writer.WriteStartArray("functions"u8);
            foreach (var tool in request.Tools)
            {
                WriteFunction(writer, (FunctionTool)tool);
            }
            writer.WriteEndArray();
        }
        switch (request.ToolChoice)
        {
            case null:
                break;
            case { Mode: ToolChoiceMode.None }:
                writer.WriteString("function_call"u8, "none"u8);
                break;
            case { Mode: ToolChoiceMode.Named, Name: { } name }:
                writer.WriteStartObject("function_call"u8);
                writer.WriteString("name"u8, name);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteString("function_call"u8, "auto"u8);
                break;
        }
    }

    private static bool HasWritableTool(ChatRequest request)
    {
        foreach (var tool in request.Tools)
        {
            if (tool is FunctionTool || (tool is ProviderTool provider && provider.Dialect == OpenAIChatDialect.Name))
            {
                return true;
            }
        }
        return false;
    }

    private static bool AllFunctions(ChatRequest request)
    {
        foreach (var tool in request.Tools)
        {
            if (tool is not FunctionTool)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>name, description, schema and strict of a structured-output format (Chat Completions nests them in
    /// <c>json_schema</c>, Responses puts them in <c>text.format</c> itself).</summary>
    internal static void WriteJsonSchemaMembers(Utf8JsonWriter writer, JsonSchemaFormat schema) =>
        WriteNamedSchema(writer, schema.Name, schema.Description, "schema"u8, schema.Schema, schema.Strict);

    /// <summary>The members of a response format object: <c>type</c>, and for a schema its members, nested in
    /// <c>json_schema</c> (Chat Completions <c>response_format</c>) or not (Responses <c>text.format</c>).</summary>
    internal static void WriteFormatMembers(Utf8JsonWriter writer, ResponseFormat format, bool nestSchema)
    {
        switch (format.Kind)
        {
            case ResponseFormatKind.JsonObject:
                writer.WriteString("type"u8, "json_object"u8);
                break;
            case ResponseFormatKind.JsonSchema when format.JsonSchema is { } schema:
                writer.WriteString("type"u8, "json_schema"u8);
                if (nestSchema)
                {
                    writer.WriteStartObject("json_schema"u8);
                }
                WriteJsonSchemaMembers(writer, schema);
                if (nestSchema)
                {
                    writer.WriteEndObject();
                }
                break;
            default:
                writer.WriteString("type"u8, "text"u8);
                break;
        }
    }
}
