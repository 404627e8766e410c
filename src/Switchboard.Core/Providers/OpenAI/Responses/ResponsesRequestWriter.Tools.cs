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
                WriteFunction(writer, function);
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

    /// <summary>A function, flat (Chat Completions nests the same members in <c>function</c>); <c>parameters</c> and
    /// <c>strict</c> are always written, as the Responses API requires.</summary>
    private static void WriteFunction(Utf8JsonWriter writer, FunctionTool function)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "function"u8);
        OpenAIChatToolsWriter.WriteNamedSchema(writer, function.Name, function.Description, "parameters"u8, function.Parameters ?? NoParameters, function.Strict ?? false);
        writer.WriteEndObject();
    }

    private static readonly JsonElement NoParameters = JsonDocument.Parse("null").RootElement.Clone();

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
                // Another dialect's form (Chat's allowed_tools) has no Responses spelling: the model chooses (auto).
                writer.WriteStringValue(choice.Mode switch
                {
                    ToolChoiceMode.None => "none",
                    ToolChoiceMode.Required => "required",
                    _ => "auto",
                });
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
        OpenAIChatToolsWriter.WriteFormatMembers(writer, format, nestSchema: false);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
