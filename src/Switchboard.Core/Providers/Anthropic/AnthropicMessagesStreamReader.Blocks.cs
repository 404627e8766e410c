using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

/// <summary>Content blocks: <c>content_block_start</c>, <c>_delta</c> and <c>_stop</c>.</summary>
public sealed partial class AnthropicMessagesStreamReader
{
    private void ReadBlockStart(ref Utf8JsonReader reader, List<StreamEvent> events)
    {
        var index = -1;
        JsonElement? start = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                ReadValue(ref reader);
                index = ReadOptionalInt(ref reader, "", "index", min: 0) ?? -1;
            }
            else if (reader.ValueTextEquals("content_block"u8))
            {
                ReadValue(ref reader);
                ExpectObject(ref reader, "content_block", "");
                start = JsonElement.ParseValue(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        if (index < 0 || start is not { } block)
        {
            throw Missing(index < 0 ? "index" : "content_block");
        }
        EnsureStarted(events);
        var type = String(block, "type"u8) ?? throw Missing("content_block.type");
        var state = new Block();
        switch (type)
        {
            case "text":
                state.Kind = BlockKind.Text;
                AddIfAny(events, String(block, "text"u8), static t => new TextDeltaEvent(0, t));
                break;
            case "thinking":
                state.Kind = BlockKind.Thinking;
                AddIfAny(events, String(block, "thinking"u8), static t => new ThinkingDeltaEvent(0, t));
                AddIfAny(events, String(block, "signature"u8), static s => new SignatureDeltaEvent(0, s));
                break;
            case "redacted_thinking":
                state.Kind = BlockKind.Done;
                events.Add(new RedactedThinkingEvent(0, String(block, "data"u8) ?? throw Missing("content_block.data")));
                break;
            case "tool_use":
                StartToolUse(block, state, events);
                break;
            default:
                state.Kind = BlockKind.Raw;
                state.Raw = new RawBlock(type, block);
                break;
        }
        while (_blocks.Count <= index)
        {
            _blocks.Add(null);
        }
        _blocks[index] = state;
    }

    private void StartToolUse(JsonElement block, Block state, List<StreamEvent> events)
    {
        var name = String(block, "name"u8) ?? throw Missing("content_block.name");
        // The input normally starts as {} and arrives in input_json_delta fragments.
        string? input = null;
        if (block.TryGetProperty("input"u8, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            using var members = value.EnumerateObject();
            input = members.MoveNext() ? value.GetRawText() : null;
        }
        if (name == _options.JsonToolName)
        {
            state.Kind = BlockKind.JsonAnswer;
            _jsonAnswered = true;
            AddIfAny(events, input, static t => new TextDeltaEvent(0, t));
            return;
        }
        state.Kind = BlockKind.Tool;
        state.ToolIndex = _nextToolIndex++;
        _toolCalled = true;
        events.Add(new ToolCallStartEvent(0, state.ToolIndex, String(block, "id"u8), name));
        if (input is not null)
        {
            events.Add(new ToolCallArgumentsDeltaEvent(0, state.ToolIndex, input));
        }
    }

    private void ReadBlockDelta(ref Utf8JsonReader reader, List<StreamEvent> events)
    {
        var index = -1;
        var delta = default(Delta);
        var deltaStart = default(Utf8JsonReader);
        var hasDelta = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                ReadValue(ref reader);
                index = ReadOptionalInt(ref reader, "", "index", min: 0) ?? -1;
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                ReadValue(ref reader);
                ExpectObject(ref reader, "delta", "");
                deltaStart = reader;
                hasDelta = true;
                delta = ReadDelta(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        if (index < 0)
        {
            throw Missing("index");
        }
        if (index >= _blocks.Count || _blocks[index] is not { } block)
        {
            // A delta for a block that never started: nothing to attach it to.
            return;
        }
        switch (block.Kind)
        {
            case BlockKind.Text when delta.Type == DeltaType.Text:
                AddIfAny(events, delta.Text, static t => new TextDeltaEvent(0, t));
                break;
            case BlockKind.Thinking when delta.Type == DeltaType.Thinking:
                AddIfAny(events, delta.Thinking, static t => new ThinkingDeltaEvent(0, t));
                break;
            case BlockKind.Thinking when delta.Type == DeltaType.Signature:
                AddIfAny(events, delta.Signature, static s => new SignatureDeltaEvent(0, s));
                break;
            case BlockKind.Tool when delta.Type == DeltaType.InputJson && !string.IsNullOrEmpty(delta.PartialJson):
                events.Add(new ToolCallArgumentsDeltaEvent(0, block.ToolIndex, delta.PartialJson));
                break;
            case BlockKind.JsonAnswer when delta.Type == DeltaType.InputJson:
                AddIfAny(events, delta.PartialJson, static t => new TextDeltaEvent(0, t));
                break;
            case BlockKind.Raw when hasDelta:
                block.Raw!.Apply(JsonElement.ParseValue(ref deltaStart));
                break;
            default:
                // citations_delta and deltas that do not fit their block: no canonical form.
                break;
        }
    }

    private void ReadBlockStop(ref Utf8JsonReader reader, List<StreamEvent> events)
    {
        var index = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                ReadValue(ref reader);
                index = ReadOptionalInt(ref reader, "", "index", min: 0) ?? -1;
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        if (index < 0 || index >= _blocks.Count || _blocks[index] is not { } block)
        {
            return;
        }
        if (block.Kind == BlockKind.Raw)
        {
            events.Add(new ProviderBlockEvent(AnthropicMessagesDialect.Name, block.Raw!.Type, block.Raw.Build()));
        }
        _blocks[index] = null;
    }

    private static Delta ReadDelta(ref Utf8JsonReader reader)
    {
        var delta = default(Delta);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                ReadValue(ref reader);
                delta.Type = reader.TokenType != JsonTokenType.String ? DeltaType.Other
                    : reader.ValueTextEquals("text_delta"u8) ? DeltaType.Text
                    : reader.ValueTextEquals("input_json_delta"u8) ? DeltaType.InputJson
                    : reader.ValueTextEquals("thinking_delta"u8) ? DeltaType.Thinking
                    : reader.ValueTextEquals("signature_delta"u8) ? DeltaType.Signature
                    : DeltaType.Other;
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                ReadValue(ref reader);
                delta.Text = ReadOptionalString(ref reader, "delta", "text");
            }
            else if (reader.ValueTextEquals("partial_json"u8))
            {
                ReadValue(ref reader);
                delta.PartialJson = ReadOptionalString(ref reader, "delta", "partial_json");
            }
            else if (reader.ValueTextEquals("thinking"u8))
            {
                ReadValue(ref reader);
                delta.Thinking = ReadOptionalString(ref reader, "delta", "thinking");
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                ReadValue(ref reader);
                delta.Signature = ReadOptionalString(ref reader, "delta", "signature");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        return delta;
    }

    private static void AddIfAny(List<StreamEvent> events, string? text, Func<string, StreamEvent> create)
    {
        if (!string.IsNullOrEmpty(text))
        {
            events.Add(create(text));
        }
    }

    private static string? String(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private enum BlockKind
    {
        Done,
        Text,
        Thinking,
        Tool,
        JsonAnswer,
        Raw,
    }

    private sealed class Block
    {
        public BlockKind Kind;
        public int ToolIndex;
        public RawBlock? Raw;
    }

    private enum DeltaType
    {
        Other,
        Text,
        InputJson,
        Thinking,
        Signature,
    }

    private struct Delta
    {
        public DeltaType Type;
        public string? Text;
        public string? PartialJson;
        public string? Thinking;
        public string? Signature;
    }
}
