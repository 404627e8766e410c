using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using I = Switchboard.Providers.OpenAI.Responses.ResponsesItemTypes;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// <c>instructions</c> and <c>input</c> items. User-side content → <c>message</c> items with <c>input_text</c>,
/// <c>input_image</c>, <c>input_file</c> parts; an assistant turn → its parts in order: text and refusals as one
/// assistant <c>message</c> (<c>output_text</c>, <c>refusal</c>) per run, tool calls as <c>function_call</c> /
/// <c>custom_tool_call</c> items, OpenAI reasoning as <c>reasoning</c> items; tool results →
/// <c>function_call_output</c> / <c>custom_tool_call_output</c> items answering their call's <c>call_id</c>.
/// </summary>
public static partial class ResponsesRequestWriter
{
    /// <summary>
    /// Whether a thinking signature is OpenAI encrypted reasoning (<c>encrypted_content</c>, which
    /// <see cref="ResponsesResponseReader"/> keeps as the signature). OpenAI's is a Fernet token, whose version byte
    /// 0x80 makes it start <c>gAAAAA</c> in base64url; an Anthropic thinking signature or a Gemini thought signature is
    /// another provider's proof that the Responses API can neither read nor accept.
    /// </summary>
    internal static bool IsEncryptedReasoning(string? signature) =>
        signature is { Length: > 6 } && signature.StartsWith("gAAAAA", StringComparison.Ordinal);

    private static bool CarriesEncryptedReasoning(ChatRequest request)
    {
        foreach (var message in request.Messages)
        {
            foreach (var part in message.Parts)
            {
                if (part is ThinkingPart thinking && IsEncryptedReasoning(thinking.Signature))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Hoists leading text-only system and developer messages into <c>instructions</c>; returns the index of
    /// the first message left for <c>input</c>.</summary>
    private static int WriteInstructions(Utf8JsonWriter writer, ChatRequest request, ImmutableArray<ExtensionField> extensions)
    {
        if (Holds(extensions, "instructions"))
        {
            return 0;
        }
        var joined = new System.Text.StringBuilder();
        var first = 0;
        foreach (var message in request.Messages)
        {
            if (message.Role is not (ChatRole.System or ChatRole.Developer) || message.Parts.Any(static p => p is not TextPart))
            {
                break;
            }
            foreach (var part in message.Parts)
            {
                if (joined.Length > 0)
                {
                    joined.Append("\n\n");
                }
                joined.Append(((TextPart)part).Text);
            }
            first++;
        }
        if (first > 0)
        {
            writer.WriteString("instructions"u8, joined.ToString());
        }
        return first;
    }

    private static void WriteInput(Utf8JsonWriter writer, ChatRequest request, int first, bool own)
    {
        var calls = new CallBook();
        for (var i = first; i < request.Messages.Length; i++)
        {
            var message = request.Messages[i];
            var extensions = own ? message.Extensions : [];
            if (message.Role == ChatRole.Assistant)
            {
                WriteAssistant(writer, message, extensions, calls);
            }
            else
            {
                WriteNonAssistant(writer, message, extensions, calls);
            }
        }
    }

    private static void WriteNonAssistant(Utf8JsonWriter writer, Message message, ImmutableArray<ExtensionField> extensions, CallBook calls)
    {
        var role = message.Role switch
        {
            ChatRole.System => "system",
            ChatRole.Developer => "developer",
            // A tool-role message's content beside its results has nobody else to come from.
            _ => "user",
        };
        var parts = message.Parts;
        var start = 0;
        for (var i = 0; i <= parts.Length; i++)
        {
            var standalone = i < parts.Length && (parts[i] is ToolResultPart || IsOwnItem(parts[i]));
            if (i < parts.Length && !standalone)
            {
                continue;
            }
            if (i > start)
            {
                WriteUserSideMessage(writer, role, parts, start, i, extensions);
            }
            if (i < parts.Length)
            {
                if (parts[i] is ToolResultPart result)
                {
                    WriteToolResult(writer, result, calls);
                }
                else
                {
                    ((ProviderPart)parts[i]).Raw.WriteTo(writer);
                }
            }
            start = i + 1;
        }
    }

    private static void WriteUserSideMessage(Utf8JsonWriter writer, string role, ImmutableArray<ContentPart> parts, int start, int end, ImmutableArray<ExtensionField> extensions)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, I.Message);
        writer.WriteString("role"u8, role);
        writer.WriteStartArray("content"u8);
        for (var i = start; i < end; i++)
        {
            WriteInputPart(writer, parts[i]);
        }
        writer.WriteEndArray();
        WireWriting.WriteExtensions(writer, extensions);
        writer.WriteEndObject();
    }

    /// <summary>One user-side content part; parts with no place there (thinking, tool calls, another dialect's blocks) are left out.</summary>
    private static void WriteInputPart(Utf8JsonWriter writer, ContentPart part)
    {
        switch (part)
        {
            case TextPart text:
                writer.WriteStartObject();
                writer.WriteString("type"u8, I.InputText);
                writer.WriteString("text"u8, text.Text);
                writer.WriteEndObject();
                break;
            case ImagePart image:
                writer.WriteStartObject();
                writer.WriteString("type"u8, I.InputImage);
                writer.WritePropertyName("image_url"u8);
                if (image.Data is not null)
                {
                    WireWriting.WriteDataUrl(writer, image.MediaType ?? "application/octet-stream", image.Data);
                }
                else
                {
                    writer.WriteStringValue(image.Url);
                }
                // Required by the Responses API, optional elsewhere.
                writer.WriteString("detail"u8, image.Detail ?? "auto");
                writer.WriteEndObject();
                break;
            case FilePart file:
                WriteInputFile(writer, file);
                break;
            case AudioPart:
                throw WireReading.Fail("messages", "audio input cannot be sent to a model served through the OpenAI Responses API");
            default:
                break;
        }
    }

    private static void WriteInputFile(Utf8JsonWriter writer, FilePart file)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, I.InputFile);
        if (file.FileId is not null)
        {
            writer.WriteString("file_id"u8, file.FileId);
        }
        else if (file.Data is not null)
        {
            writer.WritePropertyName("file_data"u8);
            WireWriting.WriteDataUrl(writer, file.MediaType ?? "application/octet-stream", file.Data);
            // OpenAI asks for a file name with inline data.
            writer.WriteString("filename"u8, file.Filename ?? "document");
        }
        else
        {
            writer.WriteString("file_url"u8, file.Url);
        }
        if (file.Filename is not null && file.Data is null)
        {
            writer.WriteString("filename"u8, file.Filename);
        }
        writer.WriteEndObject();
    }

    private static void WriteAssistant(Utf8JsonWriter writer, Message message, ImmutableArray<ExtensionField> extensions, CallBook calls)
    {
        var parts = message.Parts;
        var runStart = -1;
        for (var i = 0; i <= parts.Length; i++)
        {
            if (i < parts.Length && parts[i] is TextPart or RefusalPart)
            {
                runStart = runStart < 0 ? i : runStart;
                continue;
            }
            if (runStart >= 0)
            {
                WriteAssistantText(writer, parts, runStart, i, extensions);
                runStart = -1;
            }
            if (i == parts.Length)
            {
                break;
            }
            switch (parts[i])
            {
                case ToolCallPart call:
                    WriteToolCall(writer, call, calls);
                    break;
                case ThinkingPart thinking when IsEncryptedReasoning(thinking.Signature):
                    WriteReasoning(writer, thinking);
                    break;
                case ProviderPart provider when IsOwnItem(provider):
                    provider.Raw.WriteTo(writer);
                    break;
                default:
                    // Thinking without OpenAI encrypted content (plain reasoning text, another provider's signed or
                    // redacted thinking) cannot go back as a reasoning item: the Responses API takes reasoning only as
                    // its own encrypted content, so it is dropped, as the Chat Completions writer drops what OpenAI
                    // cannot take back. The model reasons afresh on this turn.
                    break;
            }
        }
    }

    private static void WriteAssistantText(Utf8JsonWriter writer, ImmutableArray<ContentPart> parts, int start, int end, ImmutableArray<ExtensionField> extensions)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, I.Message);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteStartArray("content"u8);
        for (var i = start; i < end; i++)
        {
            writer.WriteStartObject();
            if (parts[i] is TextPart text)
            {
                writer.WriteString("type"u8, I.OutputText);
                writer.WriteString("text"u8, text.Text);
                writer.WriteStartArray("annotations"u8);
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteString("type"u8, I.Refusal);
                writer.WriteString("refusal"u8, ((RefusalPart)parts[i]).Refusal);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WireWriting.WriteExtensions(writer, extensions);
        writer.WriteEndObject();
    }

    private static void WriteReasoning(Utf8JsonWriter writer, ThinkingPart thinking)
    {
        // No id: with store false the upstream has no copy to look up; the encrypted content is the reasoning
        // (Codex sends its reasoning items the same way).
        writer.WriteStartObject();
        writer.WriteString("type"u8, I.Reasoning);
        writer.WriteStartArray("summary"u8);
        if (thinking.Text.Length > 0)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, I.SummaryText);
            writer.WriteString("text"u8, thinking.Text);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteString("encrypted_content"u8, thinking.Signature);
        writer.WriteEndObject();
    }

    private static void WriteToolCall(Utf8JsonWriter writer, ToolCallPart call, CallBook calls)
    {
        var callId = calls.Add(call);
        writer.WriteStartObject();
        if (call.Kind == ToolCallKind.Custom)
        {
            writer.WriteString("type"u8, I.CustomToolCall);
            writer.WriteString("call_id"u8, callId);
            writer.WriteString("name"u8, call.Name);
            writer.WriteString("input"u8, call.Arguments);
        }
        else
        {
            writer.WriteString("type"u8, I.FunctionCall);
            writer.WriteString("call_id"u8, callId);
            writer.WriteString("name"u8, call.Name);
            writer.WriteString("arguments"u8, call.Arguments);
        }
        writer.WriteEndObject();
    }

    private static void WriteToolResult(Utf8JsonWriter writer, ToolResultPart result, CallBook calls)
    {
        var (callId, kind) = calls.Answer(result);
        writer.WriteStartObject();
        writer.WriteString("type"u8, kind == ToolCallKind.Custom ? I.CustomToolCallOutput : I.FunctionCallOutput);
        writer.WriteString("call_id"u8, callId);
        writer.WritePropertyName("output"u8);
        if (result.Content.All(static p => p is TextPart))
        {
            var joined = default(TextJoin);
            foreach (var part in result.Content)
            {
                joined.Add(((TextPart)part).Text);
            }
            // An error result has no flag here; the model reads it from the text, as Anthropic's is_error is told.
            writer.WriteStringValue(result.IsError && joined.Result.Length == 0 ? "error" : joined.Result);
        }
        else
        {
            writer.WriteStartArray();
            foreach (var part in result.Content)
            {
                WriteInputPart(writer, part);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>A whole Responses item kept raw by the Responses client reader (hosted tool calls, item references).</summary>
    private static bool IsOwnItem(ContentPart part) => part is ProviderPart { Dialect: ResponsesDialect.Name };

    /// <summary>
    /// The calls written so far, so each result answers its call with the same <c>call_id</c> and the matching output
    /// type. Calls without an id (Gemini, OpenAI legacy functions) get made-up ids, and their results, which match by
    /// name, the id of the oldest unanswered call of that name.
    /// </summary>
    private sealed class CallBook
    {
        private readonly Dictionary<string, ToolCallKind> _kinds = new(StringComparer.Ordinal);
        private readonly List<(string Name, string Id)> _unnamed = [];

        public string Add(ToolCallPart call)
        {
            var id = call.Id ?? $"call_{_kinds.Count}";
            _kinds[id] = call.Kind;
            if (call.Id is null)
            {
                _unnamed.Add((call.Name, id));
            }
            return id;
        }

        public (string Id, ToolCallKind Kind) Answer(ToolResultPart result)
        {
            var id = result.ToolCallId;
            if (id is null)
            {
                var index = _unnamed.FindIndex(c => c.Name == result.Name);
                if (index < 0)
                {
                    throw WireReading.Fail("messages", $"a result of tool '{result.Name}' answers no earlier call of it");
                }
                id = _unnamed[index].Id;
                _unnamed.RemoveAt(index);
            }
            return (id, _kinds.GetValueOrDefault(id));
        }
    }
}
