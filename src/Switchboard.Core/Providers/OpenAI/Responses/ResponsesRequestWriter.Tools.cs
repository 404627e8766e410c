using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary><c>tools</c>, <c>tool_choice</c> and <c>text.format</c>.</summary>
public static partial class ResponsesRequestWriter
{
    private static void WriteTools(Utf8JsonWriter writer, ChatRequest request, bool own)
    {
        var any = false;
        foreach (var tool in request.Tools)
        {
            any |= IsWritable(tool);
        }
        if (any)
        {
            writer.WriteStartArray("tools"u8);
            foreach (var tool in request.Tools)
            {
                WriteTool(writer, tool);
            }
            writer.WriteEndArray();
        }
        WriteToolChoice(writer, request.ToolChoice, own);
    }

    private static bool IsWritable(ToolDefinition tool) => tool switch
    {
        FunctionTool => true,
        ProviderTool { Dialect: ResponsesDialect.Name } => true,
        ProviderTool { Dialect: OpenAIChatDialect.Name, Type: "custom" } => true,
        _ => false,
    };

    private static void WriteTool(Utf8JsonWriter writer, ToolDefinition tool)
    {
        switch (tool)
        {
            case FunctionTool function:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                writer.WriteString("name"u8, function.Name);
                if (function.Description is not null)
                {
                    writer.WriteString("description"u8, function.Description);
                }
                writer.WritePropertyName("parameters"u8);
                if (function.Parameters is { } parameters)
                {
                    parameters.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }
                writer.WriteBoolean("strict"u8, function.Strict ?? false);
                writer.WriteEndObject();
                break;
            case ProviderTool { Dialect: ResponsesDialect.Name } own:
                own.Raw.WriteTo(writer);
                break;
            case ProviderTool { Dialect: OpenAIChatDialect.Name, Type: "custom" } chat:
                WriteChatCustomTool(writer, chat.Raw);
                break;
            default:
                // Another provider's built-in tool (Anthropic web search, Gemini code execution): nothing here runs it.
                break;
        }
    }

    /// <summary>Chat Completions nests a custom tool (<c>{type: custom, custom: {name, description, format}}</c>);
    /// the Responses API has the same members flat.</summary>
    private static void WriteChatCustomTool(Utf8JsonWriter writer, JsonElement raw)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "custom"u8);
        if (raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("custom"u8, out var custom) && custom.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in custom.EnumerateObject())
            {
                member.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ToolChoice? choice, bool own)
    {
        if (choice is null)
        {
            return;
        }
        writer.WritePropertyName("tool_choice"u8);
        switch (choice.Mode)
        {
            case ToolChoiceMode.None:
                writer.WriteStringValue("none"u8);
                break;
            case ToolChoiceMode.Required:
                writer.WriteStringValue("required"u8);
                break;
            case ToolChoiceMode.Named:
                writer.WriteStartObject();
                writer.WriteString("type"u8, "function"u8);
                writer.WriteString("name"u8, choice.Name);
                writer.WriteEndObject();
                break;
            case ToolChoiceMode.Other when own && choice.Raw is { } raw:
                raw.WriteTo(writer);
                break;
            default:
                // Auto, or a form of another dialect (Chat's allowed_tools) with no Responses spelling: let the model choose.
                writer.WriteStringValue("auto"u8);
                break;
        }
    }

    private static void WriteTextFormat(Utf8JsonWriter writer, ResponseFormat? format)
    {
        if (format is null)
        {
            return;
        }
        writer.WriteStartObject("text"u8);
        writer.WriteStartObject("format"u8);
        switch (format.Kind)
        {
            case ResponseFormatKind.JsonObject:
                writer.WriteString("type"u8, "json_object"u8);
                break;
            case ResponseFormatKind.JsonSchema when format.JsonSchema is { } schema:
                writer.WriteString("type"u8, "json_schema"u8);
                writer.WriteString("name"u8, schema.Name);
                if (schema.Description is not null)
                {
                    writer.WriteString("description"u8, schema.Description);
                }
                writer.WritePropertyName("schema"u8);
                if (schema.Schema is { } body)
                {
                    body.WriteTo(writer);
                }
                else
                {
                    // The Responses API requires a schema; an absent one allows any object.
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "object"u8);
                    writer.WriteEndObject();
                }
                if (schema.Strict is { } strict)
                {
                    writer.WriteBoolean("strict"u8, strict);
                }
                break;
            default:
                writer.WriteString("type"u8, "text"u8);
                break;
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
