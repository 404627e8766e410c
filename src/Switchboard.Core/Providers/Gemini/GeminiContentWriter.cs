using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Writes the conversation as Gemini <c>contents</c> and <c>systemInstruction</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>System and developer messages, wherever they sit, become <c>systemInstruction</c> text parts in
/// order. Other turns become <c>user</c> (user and tool messages) or <c>model</c> (assistant) contents;
/// consecutive turns of the same role are merged into one, as Gemini expects (all results of a parallel
/// call in one user turn).</item>
/// <item>A tool result becomes a <c>functionResponse</c>. Gemini matches it by function <c>name</c>: the
/// part's <see cref="ToolResultPart.Name"/>, else the name of the earlier <see cref="ToolCallPart"/> with
/// the same id. Its <c>response</c> must be an object: a result whose text is a JSON object is sent as
/// that object, any other text as <c>{"result": text}</c>, and an error result (<c>is_error</c>) as
/// <c>{"error": ...}</c>, the key Google's docs name for failures. Images in a result travel in
/// <c>functionResponse.parts</c> (multimodal function responses).</item>
/// <item>A tool call becomes a <c>functionCall</c> with its id and its <c>thoughtSignature</c>
/// (<see cref="ToolCallPart.Signature"/>). The first call of each model turn must be signed for
/// Gemini 3; when it is not, <see cref="GeminiWriteOptions.MissingSignaturePlaceholder"/> is used.</item>
/// <item>Thinking with text goes back as a <c>thought</c> part with its signature. A signature without
/// text (a Gemini <c>thoughtSignature</c> that rode on a text part, see <see cref="ThinkingPart"/>) goes
/// back on the next text, media or call part of the same turn that has none of its own, or, when
/// nothing follows, on an empty text part, as Gemini sent it.</item>
/// <item>Images by data URL become <c>inlineData</c>; by http(s) URL <c>fileData</c> with the MIME type
/// guessed from the extension (default <c>image/jpeg</c>). Gemini fetches such URLs itself; the gateway
/// may later download and inline them for models that do not.</item>
/// </list>
/// </remarks>
internal static class GeminiContentWriter
{
    public static void WriteContents(Utf8JsonWriter writer, ImmutableArray<Message> messages, GeminiWriteOptions options)
    {
        var turns = new TurnWriter(writer, options);
        writer.WriteStartArray("contents"u8);
        for (var i = 0; i < messages.Length; i++)
        {
            var message = messages[i];
            switch (message.Role)
            {
                case ChatRole.System or ChatRole.Developer:
                    break;
                case ChatRole.Assistant:
                    turns.WriteModelMessage(message, i);
                    break;
                default:
                    turns.WriteUserMessage(message, i);
                    break;
            }
        }
        turns.Close();
        writer.WriteEndArray();
        if (!turns.WroteAny)
        {
            throw Fail("messages", "must hold at least one user or assistant message for Gemini");
        }
    }

    public static void WriteSystemInstruction(Utf8JsonWriter writer, ImmutableArray<Message> messages)
    {
        var open = false;
        for (var i = 0; i < messages.Length; i++)
        {
            var message = messages[i];
            if (message.Role is not (ChatRole.System or ChatRole.Developer))
            {
                continue;
            }
            foreach (var part in message.Parts)
            {
                if (part is not TextPart text)
                {
                    throw Fail($"messages[{i}].content", "system and developer messages may only hold text for Gemini");
                }
                if (text.Text.Length == 0)
                {
                    continue;
                }
                if (!open)
                {
                    writer.WriteStartObject("systemInstruction"u8);
                    writer.WriteStartArray("parts"u8);
                    open = true;
                }
                writer.WriteStartObject();
                writer.WriteString("text"u8, text.Text);
                writer.WriteEndObject();
            }
        }
        if (open)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    /// <summary>Writes parts into the open turn, opening and closing turns as the role changes.</summary>
    private sealed class TurnWriter(Utf8JsonWriter writer, GeminiWriteOptions options)
    {
        private readonly Dictionary<string, string> _toolNames = new(StringComparer.Ordinal);
        private string? _role;
        private string? _pendingSignature;
        private bool _turnHasCall;

        public bool WroteAny { get; private set; }

        public void WriteModelMessage(Message message, int index)
        {
            foreach (var part in message.Parts)
            {
                switch (part)
                {
                    case TextPart text when text.Text.Length > 0:
                        Begin("model");
                        GeminiPartWriter.WriteText(writer, text.Text, thought: false, TakePending());
                        break;
                    case RefusalPart refusal when refusal.Refusal.Length > 0:
                        Begin("model");
                        GeminiPartWriter.WriteText(writer, refusal.Refusal, thought: false, TakePending());
                        break;
                    case ThinkingPart thinking when thinking.Text.Length > 0:
                        Begin("model");
                        // An empty signature (an Anthropic client's thinking block that had none) is no signature.
                        GeminiPartWriter.WriteText(writer, thinking.Text, thought: true, thinking.Signature is { Length: > 0 } ? thinking.Signature : null);
                        break;
                    case ThinkingPart { Signature: { Length: > 0 } signature }:
                        Begin("model");
                        FlushPending();
                        _pendingSignature = signature;
                        break;
                    case ToolCallPart call:
                        Begin("model");
                        WriteCall(call, index);
                        break;
                    case ImagePart or AudioPart or FilePart:
                        Begin("model");
                        GeminiPartWriter.WriteMedia(writer, part, TakePending(), index);
                        break;
                    case ToolResultPart:
                        throw Fail($"messages[{index}]", "an assistant message cannot hold tool results");
                    default:
                        // Empty text, unsigned empty thinking, Anthropic redacted_thinking: nothing Gemini can use.
                        break;
                }
            }
        }

        public void WriteUserMessage(Message message, int index)
        {
            foreach (var part in message.Parts)
            {
                switch (part)
                {
                    case TextPart text when text.Text.Length > 0:
                        Begin("user");
                        GeminiPartWriter.WriteText(writer, text.Text, thought: false, signature: null);
                        break;
                    case ImagePart or AudioPart or FilePart:
                        Begin("user");
                        GeminiPartWriter.WriteMedia(writer, part, signature: null, index);
                        break;
                    case ToolResultPart result:
                        Begin("user");
                        var name = result.Name
                            ?? (result.ToolCallId is { } id && _toolNames.TryGetValue(id, out var known) ? known : null)
                            ?? throw Fail($"messages[{index}]", $"tool result for call '{result.ToolCallId}' has no matching earlier tool call, and Gemini needs the function name");
                        GeminiPartWriter.WriteFunctionResponse(writer, result, name, index);
                        break;
                    case ToolCallPart:
                        throw Fail($"messages[{index}]", "only assistant messages can hold tool calls");
                    default:
                        break;
                }
            }
        }

        public void Close()
        {
            if (_role is null)
            {
                return;
            }
            FlushPending();
            writer.WriteEndArray();
            writer.WriteEndObject();
            _role = null;
        }

        private void WriteCall(ToolCallPart call, int index)
        {
            var signature = call.Signature ?? TakePending();
            if (!_turnHasCall)
            {
                signature ??= options.MissingSignaturePlaceholder;
                _turnHasCall = true;
            }
            GeminiPartWriter.WriteFunctionCall(writer, call, signature, index);
            if (call.Id is not null)
            {
                _toolNames[call.Id] = call.Name;
            }
        }

        private void Begin(string role)
        {
            if (_role == role)
            {
                return;
            }
            Close();
            writer.WriteStartObject();
            writer.WriteString("role"u8, role);
            writer.WriteStartArray("parts"u8);
            _role = role;
            _turnHasCall = false;
            WroteAny = true;
        }

        private string? TakePending()
        {
            var signature = _pendingSignature;
            _pendingSignature = null;
            return signature;
        }

        /// <summary>A signature nothing after it could carry goes back on an empty text part.</summary>
        private void FlushPending()
        {
            if (TakePending() is { } signature)
            {
                GeminiPartWriter.WriteText(writer, "", thought: false, signature);
            }
        }
    }
}
