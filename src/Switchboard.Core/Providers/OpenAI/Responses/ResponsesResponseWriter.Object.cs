using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>The response object itself, shared by the body and the stream's lifecycle events; the request's
/// settings are echoed as OpenAI echoes them (its defaults where the client said nothing).</summary>
public static partial class ResponsesResponseWriter
{
    internal static void WriteObject(Utf8JsonWriter writer, ResponsesClientHead head, IReadOnlyList<ResponsesClientItem> items, ChatRequest request)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, head.Id);
        writer.WriteString("object"u8, "response"u8);
        writer.WriteNumber("created_at"u8, head.CreatedAt);
        writer.WriteString("status"u8, head.Status);
        writer.WritePropertyName("error"u8);
        if (head.Error is { } error)
        {
            writer.WriteStartObject();
            writer.WriteString("code"u8, error.Code ?? error.Type ?? "server_error");
            writer.WriteString("message"u8, error.Message);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WritePropertyName("incomplete_details"u8);
        if (head.IncompleteReason is { } reason)
        {
            writer.WriteStartObject();
            writer.WriteString("reason"u8, reason);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }
        WriteInstructions(writer, request);
        WriteOptionalNumber(writer, "max_output_tokens"u8, request.MaxOutputTokens);
        writer.WriteString("model"u8, head.Model);
        writer.WriteStartArray("output"u8);
        foreach (var item in items)
        {
            item.Write(writer);
        }
        writer.WriteEndArray();
        writer.WriteBoolean("parallel_tool_calls"u8, request.ParallelToolCalls ?? true);
        WriteExtensionOrNull(writer, request, "previous_response_id"u8, "previous_response_id");
        writer.WriteStartObject("reasoning"u8);
        WriteStringOrNull(writer, "effort"u8, request.Reasoning?.Effort);
        WriteStringOrNull(writer, "summary"u8, request.Reasoning?.Summary);
        writer.WriteEndObject();
        writer.WritePropertyName("store"u8);
        if (ExtensionField.Find(request.Extensions, "store") is { } store)
        {
            store.Value.WriteTo(writer);
        }
        else
        {
            writer.WriteBooleanValue(true);
        }
        writer.WriteNumber("temperature"u8, request.Temperature ?? 1);
        WriteText(writer, request);
        WriteToolChoice(writer, request);
        WriteTools(writer, request);
        writer.WriteNumber("top_p"u8, request.TopP ?? 1);
        WriteExtensionOrNull(writer, request, "truncation"u8, "truncation");
        // No usage yet (a stream's first events): left out, as the schema has no null for it.
        if (head.Usage is { } usage)
        {
            writer.WritePropertyName("usage"u8);
            WriteUsage(writer, usage);
        }
        if (request.User is not null)
        {
            writer.WriteString("user"u8, request.User);
        }
        writer.WriteStartObject("metadata"u8);
        foreach (var (key, value) in request.Metadata ?? [])
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal static void WriteUsage(Utf8JsonWriter writer, Translation.Canonical.Usage usage)
    {
        writer.WriteStartObject();
        writer.WriteNumber("input_tokens"u8, usage.PromptTokens);
        writer.WriteStartObject("input_tokens_details"u8);
        writer.WriteNumber("cached_tokens"u8, usage.CachedPromptTokens ?? 0);
        writer.WriteNumber("cache_write_tokens"u8, usage.CacheCreationPromptTokens ?? 0);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens"u8, usage.CompletionTokens);
        writer.WriteStartObject("output_tokens_details"u8);
        writer.WriteNumber("reasoning_tokens"u8, usage.ReasoningTokens ?? 0);
        writer.WriteEndObject();
        writer.WriteNumber("total_tokens"u8, usage.Total);
        writer.WriteEndObject();
    }

    /// <summary>The instructions as sent: the leading system message when the client sent it as <c>instructions</c>.</summary>
    private static void WriteInstructions(Utf8JsonWriter writer, ChatRequest request)
    {
        if (request.Hints.SystemAsInstructions && request.Messages is [{ Role: ChatRole.System } first, ..]
            && first.Parts is [TextPart text])
        {
            writer.WriteString("instructions"u8, text.Text);
            return;
        }
        writer.WriteNull("instructions"u8);
    }

    private static void WriteText(Utf8JsonWriter writer, ChatRequest request)
    {
        writer.WritePropertyName("text"u8);
        if (ResponsesDialect.Owns(request.SourceDialect) && ExtensionField.Find(request.Extensions, "text") is { } raw
            && (request.ResponseFormat is null || raw.Value.TryGetProperty("format", out _)))
        {
            raw.Value.WriteTo(writer);
            return;
        }
        writer.WriteStartObject();
        writer.WriteStartObject("format"u8);
        OpenAIChatToolsWriter.WriteFormatMembers(writer, request.ResponseFormat ?? ResponseFormat.Text, nestSchema: false);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, ChatRequest request)
    {
        if (ResponsesDialect.Owns(request.SourceDialect) && ExtensionField.Find(request.Extensions, "tool_choice") is { } sent)
        {
            // As the client sent it (allowed_tools, a hosted tool), not its translation.
            writer.WritePropertyName("tool_choice"u8);
            sent.Value.WriteTo(writer);
            return;
        }
        var choice = request.ToolChoice ?? ToolChoice.Auto;
        switch (choice.Mode)
        {
            case ToolChoiceMode.None:
                writer.WriteString("tool_choice"u8, "none"u8);
                break;
            case ToolChoiceMode.Required:
                writer.WriteString("tool_choice"u8, "required"u8);
                break;
            case ToolChoiceMode.Named:
                writer.WriteStartObject("tool_choice"u8);
                writer.WriteString("type"u8, ResponsesClientCustomTools.IsCustom(request, choice.Name!) ? ResponsesItemTypes.CustomTool : ResponsesItemTypes.FunctionTool);
                writer.WriteString("name"u8, choice.Name);
                writer.WriteEndObject();
                break;
            case ToolChoiceMode.Other when choice.Raw is { } raw:
                writer.WritePropertyName("tool_choice"u8);
                raw.WriteTo(writer);
                break;
            default:
                writer.WriteString("tool_choice"u8, "auto"u8);
                break;
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, ChatRequest request)
    {
        var own = ResponsesDialect.Owns(request.SourceDialect);
        writer.WriteStartArray("tools"u8);
        foreach (var tool in request.Tools)
        {
            switch (tool)
            {
                case FunctionTool flattened when ResponsesNamespaces.IsFlattened(flattened, out var whole):
                    // The namespace tool as sent, in place of its first function; the others are in it.
                    whole?.WriteTo(writer);
                    break;
                case FunctionTool function:
                    writer.WriteStartObject();
                    var custom = function.Kind == ToolCallKind.Custom;
                    writer.WriteString("type"u8, custom ? ResponsesItemTypes.CustomTool : ResponsesItemTypes.FunctionTool);
                    writer.WriteString("name"u8, function.Name);
                    if (function.Description is not null)
                    {
                        writer.WriteString("description"u8, function.Description);
                    }
                    if (!custom)
                    {
                        writer.WritePropertyName("parameters"u8);
                        if (function.Parameters is { } parameters)
                        {
                            parameters.WriteTo(writer);
                        }
                        else
                        {
                            writer.WriteNullValue();
                        }
                        writer.WriteBoolean("strict"u8, function.Strict ?? true);
                    }
                    if (own)
                    {
                        Translation.Json.WireWriting.WriteExtensions(writer, function.Extensions);
                    }
                    writer.WriteEndObject();
                    break;
                case ProviderTool { Dialect: ResponsesDialect.Name } hosted:
                    hosted.Raw.WriteTo(writer);
                    break;
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteExtensionOrNull(Utf8JsonWriter writer, ChatRequest request, ReadOnlySpan<byte> utf8Name, string name)
    {
        writer.WritePropertyName(utf8Name);
        if (ResponsesDialect.Owns(request.SourceDialect) && ExtensionField.Find(request.Extensions, name) is { } field)
        {
            field.Value.WriteTo(writer);
        }
        else if (name == "truncation")
        {
            writer.WriteStringValue("disabled"u8);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteOptionalNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
