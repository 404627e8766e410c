using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Anthropic;

/// <summary>Writes <c>tools</c> and <c>tool_choice</c>, including the JSON-mode answer tool
/// (<see cref="AnthropicJsonMode"/>).</summary>
internal static class AnthropicToolsWriter
{
    /// <summary>Whether the request has tools an Anthropic upstream can take (functions, and
    /// Anthropic's own built-ins).</summary>
    public static bool HasWritableTools(ChatRequest request)
    {
        foreach (var tool in request.Tools)
        {
            if (IsWritable(tool))
            {
                return true;
            }
        }
        return false;
    }

    public static void WriteTools(Utf8JsonWriter writer, ChatRequest request, RequestPlan plan, bool own, bool writeExtensions)
    {
        var hasTools = HasWritableTools(request);
        if (!hasTools && plan.JsonTool is null)
        {
            return;
        }
        writer.WriteStartArray("tools"u8);
        foreach (var tool in request.Tools)
        {
            switch (tool)
            {
                case FunctionTool function:
                    WriteFunction(writer, function, own, writeExtensions);
                    break;
                case ProviderTool provider when provider.Dialect == AnthropicMessagesDialect.Name:
                    provider.Raw.WriteTo(writer);
                    break;
                default:
                    // Another provider's built-in tool: nothing here runs it.
                    break;
            }
        }
        if (plan.JsonTool is not null)
        {
            WriteJsonTool(writer, plan.JsonTool, request.ResponseFormat!);
        }
        writer.WriteEndArray();
    }

    public static void WriteToolChoice(Utf8JsonWriter writer, ChatRequest request, RequestPlan plan, bool own)
    {
        if (own)
        {
            if (request.ToolChoice is { } ownChoice && ownChoice.Mode != ToolChoiceMode.Other
                && ExtensionField.Find(request.Extensions, "tool_choice") is null)
            {
                WriteChoice(writer, ownChoice.Mode, ownChoice.Name, request.ParallelToolCalls is { } p ? !p : null);
            }
            return;
        }

        var hasTools = HasWritableTools(request);
        var choice = request.ToolChoice;
        var disableParallel = request.ParallelToolCalls == false ? true : (bool?)null;
        if (plan.JsonTool is { } jsonTool)
        {
            // JSON mode never goes with thinking (the plan refuses the pair): the answer tool is always forced.
            if (!hasTools || choice?.Mode == ToolChoiceMode.None)
            {
                WriteChoice(writer, ToolChoiceMode.Named, jsonTool, disableParallel);
            }
            else
            {
                WriteChoice(writer, choice?.Mode == ToolChoiceMode.Named ? ToolChoiceMode.Named : ToolChoiceMode.Required, choice?.Name, disableParallel);
            }
            return;
        }
        if (!hasTools)
        {
            return;
        }
        if (choice is null)
        {
            if (disableParallel == true)
            {
                WriteChoice(writer, ToolChoiceMode.Auto, null, disableParallel);
            }
            return;
        }
        // OpenAI's allowed_tools and other forms without an Anthropic word: let the model choose.
        WriteChoice(writer, choice.Mode == ToolChoiceMode.Other ? ToolChoiceMode.Auto : choice.Mode, choice.Name, disableParallel);
    }

    private static void WriteChoice(Utf8JsonWriter writer, ToolChoiceMode mode, string? name, bool? disableParallel)
    {
        writer.WriteStartObject("tool_choice"u8);
        switch (mode)
        {
            case ToolChoiceMode.None:
                writer.WriteString("type"u8, "none"u8);
                break;
            case ToolChoiceMode.Required:
                writer.WriteString("type"u8, "any"u8);
                break;
            case ToolChoiceMode.Named:
                writer.WriteString("type"u8, "tool"u8);
                writer.WriteString("name"u8, name);
                break;
            default:
                writer.WriteString("type"u8, "auto"u8);
                break;
        }
        if (disableParallel is { } disable)
        {
            writer.WriteBoolean("disable_parallel_tool_use"u8, disable);
        }
        writer.WriteEndObject();
    }

    private static void WriteFunction(Utf8JsonWriter writer, FunctionTool function, bool own, bool writeExtensions)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, function.Name);
        if (function.Description is not null)
        {
            writer.WriteString("description"u8, function.Description);
        }
        writer.WritePropertyName("input_schema"u8);
        if (function.Parameters is { ValueKind: JsonValueKind.Object } parameters)
        {
            parameters.WriteTo(writer);
        }
        else
        {
            // Anthropic requires a schema; a function without parameters takes an empty object.
            writer.WriteStartObject();
            writer.WriteString("type"u8, "object"u8);
            writer.WriteStartObject("properties"u8);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        // Only an Anthropic client's own strict goes out: OpenAI's asks for schema-exact arguments, which
        // Anthropic offers only behind a beta header the client did not send.
        if (own && function.Strict is { } strict)
        {
            writer.WriteBoolean("strict"u8, strict);
        }
        WireWriting.WriteCacheControl(writer, function.CacheControl);
        if (writeExtensions)
        {
            WireWriting.WriteExtensions(writer, function.Extensions);
        }
        writer.WriteEndObject();
    }

    private static void WriteJsonTool(Utf8JsonWriter writer, string name, ResponseFormat format)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, name);
        writer.WriteString("description"u8, AnthropicJsonMode.Description(format));
        writer.WritePropertyName("input_schema"u8);
        if (format.JsonSchema?.Schema is { ValueKind: JsonValueKind.Object } schema)
        {
            schema.WriteTo(writer);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "object"u8);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static bool IsWritable(ToolDefinition tool) =>
        tool is FunctionTool || (tool is ProviderTool provider && provider.Dialect == AnthropicMessagesDialect.Name);
}
