using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Writes canonical messages as OpenAI chat messages. OpenAI wants one <c>tool</c> message per tool
/// result and an assistant's thinking, text and tool calls in separate members, so canonical messages
/// from other dialects are regrouped here (an Anthropic user turn holding tool results and text becomes
/// tool messages followed by a user message).
/// </summary>
internal static class OpenAIChatMessageWriter
{
    /// <param name="writer">Positioned where the <c>messages</c> array's items go.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="ownExtensions">Whether message extensions are in OpenAI terms and may be written.</param>
    public static void WriteMessages(Utf8JsonWriter writer, ImmutableArray<Message> messages, bool ownExtensions)
    {
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.Assistant)
            {
                WriteAssistant(writer, message, isResponse: false, ownExtensions);
            }
            else
            {
                WriteNonAssistant(writer, message, ownExtensions);
            }
        }
    }

    /// <summary>Writes an assistant message; a response message always has <c>content</c> and
    /// <c>refusal</c> (null when empty), as OpenAI sends them.</summary>
    public static void WriteAssistant(Utf8JsonWriter writer, Message message, bool isResponse, bool ownExtensions)
    {
        var parts = message.Parts;
        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant"u8);

        writer.WritePropertyName("content"u8);
        WriteAssistantContent(writer, message);
        if (message.Name is not null && !isResponse)
        {
            writer.WriteString("name"u8, message.Name);
        }

        var refusal = message.Form == ContentForm.Parts ? null : JoinRefusals(parts);
        if (refusal is not null || isResponse)
        {
            writer.WriteString("refusal"u8, refusal);
        }

        WriteThinking(writer, message, alwaysWriteText: isResponse, ownExtensions);
        WriteToolCalls(writer, parts);
        if (ownExtensions)
        {
            WireWriting.WriteExtensions(writer, message.Extensions);
        }
        writer.WriteEndObject();
    }

    private static void WriteAssistantContent(Utf8JsonWriter writer, Message message)
    {
        var parts = message.Parts;
        var hasText = false;
        var hasRefusal = false;
        foreach (var part in parts)
        {
            hasText |= part is TextPart;
            hasRefusal |= part is RefusalPart;
        }

        if (message.Form == ContentForm.Parts && (hasText || hasRefusal))
        {
            writer.WriteStartArray();
            foreach (var part in parts)
            {
                if (part is TextPart or RefusalPart)
                {
                    OpenAIChatContentWriter.WritePart(writer, part);
                }
            }
            writer.WriteEndArray();
        }
        else if (hasText)
        {
            OpenAIChatContentWriter.WriteConcatenatedText(writer, parts, 0, parts.Length);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>
    /// Thinking goes out as <c>reasoning_content</c> (DeepSeek, vLLM) when it is plain text, and as
    /// LiteLLM's <c>thinking_blocks</c> when it carries signatures or redacted blocks, which an
    /// Anthropic upstream needs back verbatim. Responses carry both, as LiteLLM does.
    /// </summary>
    private static void WriteThinking(Utf8JsonWriter writer, Message message, bool alwaysWriteText, bool ownExtensions)
    {
        var hasThinking = false;
        var needsBlocks = false;
        foreach (var part in message.Parts)
        {
            if (part is ThinkingPart thinking)
            {
                hasThinking = true;
                needsBlocks |= thinking.Signature is not null;
            }
            else if (part is RedactedThinkingPart)
            {
                hasThinking = true;
                needsBlocks = true;
            }
        }
        if (!hasThinking)
        {
            return;
        }

        var textKeptRaw = ownExtensions && ExtensionField.Find(message.Extensions, "reasoning_content") is not null;
        if ((!needsBlocks || alwaysWriteText) && !textKeptRaw)
        {
            writer.WriteString("reasoning_content"u8, JoinThinking(message.Parts));
        }
        if (!needsBlocks)
        {
            return;
        }
        writer.WriteStartArray("thinking_blocks"u8);
        foreach (var part in message.Parts)
        {
            if (part is ThinkingPart thinking)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "thinking"u8);
                writer.WriteString("thinking"u8, thinking.Text);
                if (thinking.Signature is not null)
                {
                    writer.WriteString("signature"u8, thinking.Signature);
                }
                writer.WriteEndObject();
            }
            else if (part is RedactedThinkingPart redacted)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "redacted_thinking"u8);
                writer.WriteString("data"u8, redacted.Data);
                writer.WriteEndObject();
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes <c>tool_calls</c>; a lone call without an id is OpenAI's legacy <c>function_call</c>
    /// and goes back out as one. Other id-less calls (from dialects without ids) get stable made-up ids.
    /// </summary>
    private static void WriteToolCalls(Utf8JsonWriter writer, ImmutableArray<ContentPart> parts)
    {
        var count = 0;
        ToolCallPart? only = null;
        foreach (var part in parts)
        {
            if (part is ToolCallPart call)
            {
                count++;
                only = call;
            }
        }
        if (count == 0)
        {
            return;
        }
        if (count == 1 && only!.Id is null && only.Kind == ToolCallKind.Function)
        {
            writer.WriteStartObject("function_call"u8);
            writer.WriteString("name"u8, only.Name);
            writer.WriteString("arguments"u8, only.Arguments);
            writer.WriteEndObject();
            return;
        }

        writer.WriteStartArray("tool_calls"u8);
        var index = 0;
        foreach (var part in parts)
        {
            if (part is ToolCallPart call)
            {
                WriteToolCall(writer, call, index++);
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteToolCall(Utf8JsonWriter writer, ToolCallPart call, int index)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, call.Id ?? $"call_{index}");
        if (call.Kind == ToolCallKind.Custom)
        {
            writer.WriteString("type"u8, "custom"u8);
            writer.WriteStartObject("custom"u8);
            writer.WriteString("name"u8, call.Name);
            writer.WriteString("input"u8, call.Arguments);
        }
        else
        {
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, call.Name);
            writer.WriteString("arguments"u8, call.Arguments);
        }
        writer.WriteEndObject();
        WriteThoughtSignature(writer, call.Signature);
        writer.WriteEndObject();
    }

    /// <summary>Gemini's OpenAI-compatible spelling of a function call's thought signature.</summary>
    public static void WriteThoughtSignature(Utf8JsonWriter writer, string? signature)
    {
        if (signature is null)
        {
            return;
        }
        writer.WriteStartObject("extra_content"u8);
        writer.WriteStartObject("google"u8);
        writer.WriteString("thought_signature"u8, signature);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNonAssistant(Utf8JsonWriter writer, Message message, bool ownExtensions)
    {
        var extensions = ownExtensions ? message.Extensions : [];
        var parts = message.Parts;
        var role = RoleName(message.Role);
        var segmentStart = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] is ToolResultPart result)
            {
                if (i > segmentStart)
                {
                    WriteSimple(writer, message, role, segmentStart, i, extensions);
                }
                WriteToolResult(writer, result, extensions);
                segmentStart = i + 1;
            }
        }
        if (segmentStart < parts.Length || parts.Length == 0)
        {
            WriteSimple(writer, message, role, segmentStart, parts.Length, extensions);
        }
    }

    private static void WriteSimple(Utf8JsonWriter writer, Message message, string role, int start, int end, ImmutableArray<ExtensionField> extensions)
    {
        writer.WriteStartObject();
        // A tool-role message with content but no result has nobody to answer; OpenAI would refuse it.
        writer.WriteString("role"u8, role == "tool" ? "user" : role);
        writer.WritePropertyName("content"u8);
        OpenAIChatContentWriter.WriteContent(writer, message.Parts, start, end, message.Form);
        if (message.Name is not null)
        {
            writer.WriteString("name"u8, message.Name);
        }
        WireWriting.WriteExtensions(writer, extensions);
        writer.WriteEndObject();
    }

    private static void WriteToolResult(Utf8JsonWriter writer, ToolResultPart result, ImmutableArray<ExtensionField> extensions)
    {
        writer.WriteStartObject();
        if (result.ToolCallId is null)
        {
            // Legacy function result: matched by name, content a string or null.
            writer.WriteString("role"u8, "function"u8);
            writer.WriteString("name"u8, result.Name ?? "");
            writer.WritePropertyName("content"u8);
            if (result.Content.IsEmpty)
            {
                writer.WriteNullValue();
            }
            else
            {
                OpenAIChatContentWriter.WriteConcatenatedText(writer, result.Content, 0, result.Content.Length);
            }
        }
        else
        {
            writer.WriteString("role"u8, "tool"u8);
            writer.WritePropertyName("content"u8);
            OpenAIChatContentWriter.WriteContent(writer, result.Content, 0, result.Content.Length, result.Form);
            writer.WriteString("tool_call_id"u8, result.ToolCallId);
        }
        WireWriting.WriteExtensions(writer, extensions);
        writer.WriteEndObject();
    }

    private static string RoleName(ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.Developer => "developer",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        _ => "tool",
    };

    private static string? JoinRefusals(ImmutableArray<ContentPart> parts)
    {
        string? joined = null;
        foreach (var part in parts)
        {
            if (part is RefusalPart refusal)
            {
                joined = joined is null ? refusal.Refusal : joined + refusal.Refusal;
            }
        }
        return joined;
    }

    private static string JoinThinking(ImmutableArray<ContentPart> parts)
    {
        var joined = default(TextJoin);
        foreach (var part in parts)
        {
            if (part is ThinkingPart thinking)
            {
                joined.Add(thinking.Text);
            }
        }
        return joined.Result;
    }
}
