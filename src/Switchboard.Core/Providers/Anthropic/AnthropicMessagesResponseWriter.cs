using System.Buffers;
using System.Text.Json;
using Switchboard.Http;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Anthropic;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Writes a <see cref="ChatResponse"/> as an Anthropic <c>message</c> body, so an OpenAI or Gemini answer
/// reaches an Anthropic client (Claude Code, the Anthropic SDKs) in the shape it expects: <c>id</c>
/// (<c>msg_…</c>), <c>type</c>, <c>role</c>, <c>model</c>, <c>content</c>, <c>stop_reason</c>,
/// <c>stop_sequence</c>, <c>usage</c>. Only the first choice is written (Anthropic has no <c>n</c>).
/// </summary>
/// <remarks>
/// Parts become blocks in order: thinking (with a <see cref="GatewayThinking"/> signature around the provider's own),
/// redacted thinking, text (a refusal as text), tool calls as <c>tool_use</c> with the arguments parsed into
/// <c>input</c> (arguments that are not a JSON object, e.g. cut off by the token cap, go in as
/// <c>{"_raw_arguments": "…"}</c> rather than being lost). Usage goes back to Anthropic's accounting:
/// <c>input_tokens</c> = prompt − cache reads − cache writes.
/// </remarks>
public static class AnthropicMessagesResponseWriter
{
    /// <summary>Writes the body into <paramref name="output"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="output">Destination of the UTF-8 JSON.</param>
    /// <param name="model">Model name to report instead of <see cref="ChatResponse.Model"/>; null keeps it.</param>
    public static void Write(ChatResponse response, IBufferWriter<byte> output, string? model = null)
    {
        using var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        Write(response, writer, model);
        writer.Flush();
    }

    /// <summary>Writes the body as a new byte array.</summary>
    public static byte[] WriteToUtf8Bytes(ChatResponse response, string? model = null)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        Write(response, buffer, model);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the body with a caller-owned writer (not flushed).</summary>
    public static void Write(ChatResponse response, Utf8JsonWriter writer, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(writer);
        var own = AnthropicMessagesDialect.Owns(response.SourceDialect);
        var choice = response.Choices.IsDefaultOrEmpty ? null : response.Choices[0];

        writer.WriteStartObject();
        writer.WriteString("id"u8, MessageId(response.Id));
        writer.WriteString("type"u8, "message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteString("model"u8, model ?? response.Model);
        writer.WriteStartArray("content"u8);
        if (choice is not null)
        {
            WriteContent(writer, choice.Message, own);
        }
        writer.WriteEndArray();
        writer.WritePropertyName("stop_reason"u8);
        if (choice?.FinishReason is { } reason)
        {
            writer.WriteStringValue(AnthropicStopReasons.ToWire(reason));
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WritePropertyName("stop_sequence"u8);
        if (own && ExtensionField.Find(response.Extensions, "stop_sequence") is { } stopSequence)
        {
            stopSequence.Value.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WriteStartObject("usage"u8);
        AnthropicTokens.From(response.Usage ?? new Usage()).WriteMembers(writer);
        if (own && ExtensionField.Find(response.Extensions, AnthropicMessagesResponseReader.UsageExtras) is { Value.ValueKind: JsonValueKind.Object } extras)
        {
            foreach (var member in extras.Value.EnumerateObject())
            {
                member.WriteTo(writer);
            }
        }
        writer.WriteEndObject();
        if (own)
        {
            foreach (var field in response.Extensions)
            {
                if (field.Name is not ("stop_sequence" or AnthropicMessagesResponseReader.UsageExtras))
                {
                    writer.WritePropertyName(field.Name);
                    field.Value.WriteTo(writer);
                }
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>Anthropic ids start with <c>msg_</c>; other providers' ids get the prefix.</summary>
    internal static string MessageId(string? id) =>
        string.IsNullOrEmpty(id) ? WireIds.Random("msg_", 32)
        : id.StartsWith("msg_", StringComparison.Ordinal) ? id
        : $"msg_{id}";

    private static void WriteContent(Utf8JsonWriter writer, Message message, bool own)
    {
        var context = new BlockContext(own: true, writeExtensions: own);
        for (var p = 0; p < message.Parts.Length; p++)
        {
            context.PartIndex = p;
            switch (message.Parts[p])
            {
                case TextPart { Text.Length: 0 } or RefusalPart { Refusal.Length: 0 }:
                case ToolResultPart or AudioPart:
                case ProviderPart provider when provider.Dialect != AnthropicMessagesDialect.Name:
                    break;
                case ThinkingPart { Text.Length: 0 } when p > 0 && !HasToolCallFrom(message, p):
                    // A bare signature after the answer (Gemini signs the turn's last text part): a thinking block
                    // there would hide the answer from clients that read the last block, and Gemini does not
                    // require a text part's signature back. Ahead of a tool call it is kept.
                    break;
                case ThinkingPart thinking:
                    WriteThinking(writer, thinking.Text, thinking.Signature);
                    break;
                case ToolCallPart call:
                    if (call.Signature is { Length: > 0 } signature && !(p > 0 && message.Parts[p - 1] is ThinkingPart { Text.Length: 0 }))
                    {
                        // Gemini signs the function call itself: an Anthropic client carries it as the thinking
                        // block before the tool_use, which the Gemini writer puts back on the call.
                        WriteThinking(writer, "", signature);
                    }
                    WriteToolUse(writer, call, own);
                    break;
                case var part:
                    AnthropicContentWriter.WriteBlock(writer, part, context);
                    break;
            }
        }
    }

    private static void WriteThinking(Utf8JsonWriter writer, string text, string? signature)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "thinking"u8);
        writer.WriteString("thinking"u8, text);
        // Another provider's reasoning: a signature a later turn can carry to any upstream (see GatewayThinking).
        writer.WriteString("signature"u8, GatewayThinking.Wrap(signature));
        writer.WriteEndObject();
    }

    private static bool HasToolCallFrom(Message message, int start)
    {
        for (var i = start; i < message.Parts.Length; i++)
        {
            if (message.Parts[i] is ToolCallPart)
            {
                return true;
            }
        }
        return false;
    }

    private static void WriteToolUse(Utf8JsonWriter writer, ToolCallPart call, bool own)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "tool_use"u8);
        writer.WriteString("id"u8, call.Id ?? WireIds.Random("toolu_", 32));
        writer.WriteString("name"u8, call.Name);
        writer.WritePropertyName("input"u8);
        var bytes = string.IsNullOrWhiteSpace(call.Arguments) ? null : System.Text.Encoding.UTF8.GetBytes(call.Arguments);
        if (bytes is null)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }
        else if (call.Kind == ToolCallKind.Function && ToolInput.IsObject(bytes))
        {
            writer.WriteRawValue(bytes, skipInputValidation: true);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("_raw_arguments"u8, call.Arguments);
            writer.WriteEndObject();
        }
        WireWriting.WriteCacheControl(writer, call.CacheControl);
        if (own)
        {
            WireWriting.WriteExtensions(writer, call.Extensions);
        }
        writer.WriteEndObject();
    }
}
