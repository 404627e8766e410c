using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;
using I = Switchboard.Providers.OpenAI.Responses.ResponsesItemTypes;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>Output items: <c>output_item.added</c> / <c>.done</c>, tool-call fragments, reasoning summary parts.</summary>
public sealed partial class ResponsesStreamReader
{
    private void ItemAdded(JsonElement root, List<StreamEvent> events)
    {
        Start(null, events);
        var index = OutputIndex(root);
        var item = ItemOf(root);
        var type = ResponsesResponseReader.String(item, "type"u8, "item.type") ?? throw Missing("item.type");
        var state = new Item(type);
        _items[index] = state;
        if (type is I.FunctionCall or I.CustomToolCall)
        {
            StartCall(index, item, state, events);
        }
    }

    private void StartCall(int index, JsonElement item, Item state, List<StreamEvent> events)
    {
        var custom = state.Type == I.CustomToolCall;
        var callId = ResponsesResponseReader.String(item, "call_id"u8, "item.call_id") ?? throw Missing("item.call_id");
        var name = ResponsesResponseReader.String(item, "name"u8, "item.name") ?? throw Missing("item.name");
        _sawToolCall = true;
        state.CallStarted = true;
        events.Add(new ToolCallStartEvent(0, index, callId, name) { Kind = custom ? ToolCallKind.Custom : ToolCallKind.Function });
        var initial = ResponsesResponseReader.String(item, custom ? "input"u8 : "arguments"u8, custom ? "item.input" : "item.arguments");
        if (!string.IsNullOrEmpty(initial))
        {
            state.SawDelta = true;
            events.Add(new ToolCallArgumentsDeltaEvent(0, index, initial));
        }
    }

    private void ArgumentsDelta(JsonElement root, List<StreamEvent> events)
    {
        var index = OutputIndex(root);
        if (!_items.TryGetValue(index, out var state) || !state.CallStarted)
        {
            throw Fail("output_index", $"argument fragment for output item {index}, which is no tool call");
        }
        var delta = ResponsesResponseReader.String(root, "delta"u8, "delta") ?? throw Missing("delta");
        if (delta.Length > 0)
        {
            state.SawDelta = true;
            events.Add(new ToolCallArgumentsDeltaEvent(0, index, delta));
        }
    }

    /// <summary>A second or later summary part starts: the same blank line the response reader joins parts with.</summary>
    private void SummaryPartAdded(JsonElement root, List<StreamEvent> events)
    {
        var index = OutputIndex(root);
        if (_items.TryGetValue(index, out var state))
        {
            if (state.SawDelta)
            {
                state.SeparatorPending = true;
            }
            return;
        }
        Start(null, events);
    }

    private void ItemDone(JsonElement root, List<StreamEvent> events)
    {
        Start(null, events);
        var index = OutputIndex(root);
        var item = ItemOf(root);
        var type = ResponsesResponseReader.String(item, "type"u8, "item.type") ?? throw Missing("item.type");
        _items.Remove(index, out var state);
        switch (type)
        {
            case I.FunctionCall or I.CustomToolCall:
                if (state is not { CallStarted: true })
                {
                    StartCall(index, item, state = new Item(type), events);
                }
                else if (!state.SawDelta && ResponsesResponseReader.String(item, type == I.CustomToolCall ? "input"u8 : "arguments"u8, "item.arguments") is { Length: > 0 } whole)
                {
                    events.Add(new ToolCallArgumentsDeltaEvent(0, index, whole));
                }
                break;
            case I.Reasoning:
                ReasoningDone(item, state, events);
                break;
            case I.Message:
                if (state is not { SawDelta: true })
                {
                    // A message that came whole, without deltas: its text now.
                    foreach (var part in MessageParts(item))
                    {
                        events.Add(part is RefusalPart refusal ? new RefusalDeltaEvent(0, refusal.Refusal) : new TextDeltaEvent(0, ((TextPart)part).Text));
                    }
                }
                break;
            default:
                events.Add(new ProviderBlockEvent(ResponsesDialect.Name, type, item.Clone()));
                break;
        }
    }

    private static void ReasoningDone(JsonElement item, Item? state, List<StreamEvent> events)
    {
        var thinking = ResponsesResponseReader.Thinking(item, "item");
        if (thinking is null)
        {
            return;
        }
        if (state is not { SawDelta: true } && thinking.Text.Length > 0)
        {
            events.Add(new ThinkingDeltaEvent(0, thinking.Text));
        }
        if (thinking.Signature is { Length: > 0 } signature)
        {
            events.Add(new SignatureDeltaEvent(0, signature));
        }
    }

    private static List<ContentPart> MessageParts(JsonElement item)
    {
        var parts = System.Collections.Immutable.ImmutableArray.CreateBuilder<ContentPart>();
        ResponsesResponseReader.AddItem(item, "item", parts);
        return [.. parts.Where(static p => p is TextPart { Text.Length: > 0 } or RefusalPart { Refusal.Length: > 0 })];
    }

    private static JsonElement ItemOf(JsonElement root) => ResponsesResponseReader.Member(root, "item"u8) switch
    {
        { ValueKind: JsonValueKind.Object } item => item,
        null => throw Missing("item"),
        _ => throw WrongType("item", "an object"),
    };

    /// <summary>What the reader knows of one open output item.</summary>
    private sealed class Item(string type)
    {
        public string Type { get; } = type;

        /// <summary>A <see cref="ToolCallStartEvent"/> was sent for it.</summary>
        public bool CallStarted { get; set; }

        /// <summary>Some of its content came as deltas, so its <c>.done</c> must not repeat it.</summary>
        public bool SawDelta { get; set; }

        /// <summary>A new reasoning summary part began after text: the next thinking delta starts with a blank line.</summary>
        public bool SeparatorPending { get; set; }
    }
}
