using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Canonical;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>Opening, filling and closing output items and their parts.</summary>
public sealed partial class ResponsesStreamWriter
{
    private ResponsesClientItem? _open;
    private bool _partOpen;
    /// <summary>The open call is to a custom tool the upstream called as a function: its JSON arguments
    /// (<c>{"input": "..."}</c>) are collected and the free text goes out when the call ends, since the text cannot be
    /// told from half a JSON string. Only that one call's arguments are held.</summary>
    private bool _unwrapCustom;

    private void AppendText(string text, bool refusal, IBufferWriter<byte> output)
    {
        // Chat upstreams open with an empty content delta (even before a tool call): no message item for it.
        if (text.Length == 0)
        {
            return;
        }
        EnsureStarted(output);
        if (_open?.Type != ResponsesItemTypes.Message)
        {
            Open(new ResponsesClientItem(ResponsesItemTypes.Message, ResponsesClientItem.NewId("msg")), output);
        }
        var item = _open!;
        if (_partOpen && item.Parts[^1].Refusal != refusal)
        {
            ClosePart(output);
        }
        if (!_partOpen)
        {
            item.Parts.Add((refusal, new ResponsesItemText()));
            _partOpen = true;
            WriteEvent(output, ResponsesEventTypes.ContentPartAdded, refusal, (w, refusal, self) =>
            {
                self.WritePartPosition(w);
                w.WritePropertyName("part"u8);
                ResponsesClientItem.WriteContentPart(w, refusal, "");
            });
        }
        item.Parts[^1].Text.Append(text);
        WriteEvent(output, refusal ? ResponsesEventTypes.RefusalDelta : ResponsesEventTypes.OutputTextDelta, (text, refusal), static (w, s, self) =>
        {
            self.WritePartPosition(w);
            w.WriteString("delta"u8, s.text);
            if (!s.refusal)
            {
                w.WriteStartArray("logprobs"u8);
                w.WriteEndArray();
            }
        });
    }

    private void AppendThinking(string text, IBufferWriter<byte> output)
    {
        EnsureStarted(output);
        if (_open?.Type != ResponsesItemTypes.Reasoning)
        {
            Open(new ResponsesClientItem(ResponsesItemTypes.Reasoning, ResponsesClientItem.NewId("rs")), output);
        }
        var item = _open!;
        if (!_partOpen)
        {
            item.Summary.Add(new ResponsesItemText());
            _partOpen = true;
            WriteEvent(output, ResponsesEventTypes.ReasoningSummaryPartAdded, 0, static (w, _, self) =>
            {
                self.WriteSummaryPosition(w);
                w.WritePropertyName("part"u8);
                ResponsesClientItem.WriteSummaryPart(w, "");
            });
        }
        item.Summary[^1].Append(text);
        WriteEvent(output, ResponsesEventTypes.ReasoningSummaryTextDelta, text, static (w, text, self) =>
        {
            self.WriteSummaryPosition(w);
            w.WriteString("delta"u8, text);
        });
    }

    /// <summary>The thinking's signature (or a redacted block) is the reasoning item's encrypted content, and ends it.</summary>
    private void EndReasoning(string encrypted, IBufferWriter<byte> output)
    {
        EnsureStarted(output);
        if (_open?.Type != ResponsesItemTypes.Reasoning)
        {
            Open(new ResponsesClientItem(ResponsesItemTypes.Reasoning, ResponsesClientItem.NewId("rs")), output);
        }
        _open!.EncryptedContent = encrypted;
        CloseOpen(output);
    }

    private void StartCall(ToolCallStartEvent call, IBufferWriter<byte> output)
    {
        EnsureStarted(output);
        var custom = call.Kind == ToolCallKind.Custom || ResponsesClientCustomTools.IsCustom(_request, call.Name);
        var (space, name) = ResponsesNamespaces.Split(_request, call.Name);
        var item = new ResponsesClientItem(custom ? ResponsesItemTypes.CustomToolCall : ResponsesItemTypes.FunctionCall,
            ResponsesClientItem.NewId(custom ? "ctc" : "fc"))
        {
            CallId = call.Id ?? ResponsesClientItem.NewId("call"),
            Namespace = space,
            Name = name,
        };
        Open(item, output);
        _unwrapCustom = custom && call.Kind != ToolCallKind.Custom;
        _tools[call.ToolIndex] = item;
    }

    private void AppendArguments(ToolCallArgumentsDeltaEvent delta, IBufferWriter<byte> output)
    {
        if (!_tools.TryGetValue(delta.ToolIndex, out var item))
        {
            return;
        }
        item.Arguments.Append(delta.Fragment);
        // A fragment for a call already closed (a source that interleaves calls) still lands in the final response.
        if (item != _open || _unwrapCustom || delta.Fragment.Length == 0)
        {
            return;
        }
        WriteArgumentsDelta(delta.Fragment, output);
    }

    private void WriteArgumentsDelta(string fragment, IBufferWriter<byte> output) =>
        WriteEvent(output, _open!.Type == ResponsesItemTypes.CustomToolCall ? ResponsesEventTypes.CustomToolCallInputDelta : ResponsesEventTypes.FunctionCallArgumentsDelta,
            fragment, static (w, fragment, self) =>
            {
                self.WriteItemPosition(w);
                w.WriteString("delta"u8, fragment);
            });

    private void AddHosted(ProviderBlockEvent block, IBufferWriter<byte> output)
    {
        EnsureStarted(output);
        CloseOpen(output);
        var item = new ResponsesClientItem(block.Type, "") { Raw = block.Block, Done = true };
        _items.Add(item);
        WriteEvent(output, ResponsesEventTypes.OutputItemAdded, item, static (w, item, self) => self.WriteItemMember(w, item));
        WriteEvent(output, ResponsesEventTypes.OutputItemDone, item, static (w, item, self) => self.WriteItemMember(w, item));
    }

    private void Open(ResponsesClientItem item, IBufferWriter<byte> output)
    {
        CloseOpen(output);
        _items.Add(item);
        _open = item;
        WriteEvent(output, ResponsesEventTypes.OutputItemAdded, item, static (w, item, self) => self.WriteItemMember(w, item));
    }

    private void CloseOpen(IBufferWriter<byte> output)
    {
        if (_open is not { } item)
        {
            return;
        }
        ClosePart(output);
        switch (item.Type)
        {
            case ResponsesItemTypes.FunctionCall:
                WriteEvent(output, ResponsesEventTypes.FunctionCallArgumentsDone, item, static (w, item, self) =>
                {
                    self.WriteItemPosition(w);
                    w.WriteString("name"u8, item.Name);
                    w.WriteString("arguments"u8, item.Arguments.ToString());
                });
                break;
            case ResponsesItemTypes.CustomToolCall:
                if (_unwrapCustom)
                {
                    var input = ResponsesClientCustomTools.InputOf(item.Arguments.ToString());
                    item.Arguments.Set(input);
                    if (input.Length > 0)
                    {
                        WriteArgumentsDelta(input, output);
                    }
                }
                WriteEvent(output, ResponsesEventTypes.CustomToolCallInputDone, item, static (w, item, self) =>
                {
                    self.WriteItemPosition(w);
                    w.WriteString("input"u8, item.Arguments.ToString());
                });
                break;
        }
        item.Done = true;
        WriteEvent(output, ResponsesEventTypes.OutputItemDone, item, static (w, item, self) => self.WriteItemMember(w, item));
        _open = null;
        _unwrapCustom = false;
    }

    /// <summary>Closes the open content part of a message or summary part of a reasoning item.</summary>
    private void ClosePart(IBufferWriter<byte> output)
    {
        if (!_partOpen || _open is not { } item)
        {
            return;
        }
        _partOpen = false;
        if (item.Type == ResponsesItemTypes.Reasoning)
        {
            var text = item.Summary[^1].ToString();
            WriteEvent(output, ResponsesEventTypes.ReasoningSummaryTextDone, text, static (w, text, self) =>
            {
                self.WriteSummaryPosition(w);
                w.WriteString("text"u8, text);
            });
            WriteEvent(output, ResponsesEventTypes.ReasoningSummaryPartDone, text, static (w, text, self) =>
            {
                self.WriteSummaryPosition(w);
                w.WritePropertyName("part"u8);
                ResponsesClientItem.WriteSummaryPart(w, text);
            });
            return;
        }
        var (refusal, builder) = item.Parts[^1];
        var partText = builder.ToString();
        WriteEvent(output, refusal ? ResponsesEventTypes.RefusalDone : ResponsesEventTypes.OutputTextDone, (partText, refusal), static (w, s, self) =>
        {
            self.WritePartPosition(w);
            w.WriteString(s.refusal ? "refusal"u8 : "text"u8, s.partText);
            if (!s.refusal)
            {
                w.WriteStartArray("logprobs"u8);
                w.WriteEndArray();
            }
        });
        WriteEvent(output, ResponsesEventTypes.ContentPartDone, (partText, refusal), static (w, s, self) =>
        {
            self.WritePartPosition(w);
            w.WritePropertyName("part"u8);
            ResponsesClientItem.WriteContentPart(w, s.refusal, s.partText);
        });
    }

    private void WriteItemMember(Utf8JsonWriter w, ResponsesClientItem item)
    {
        w.WriteNumber("output_index"u8, _items.IndexOf(item));
        w.WritePropertyName("item"u8);
        item.Write(w);
    }

    private void WriteItemPosition(Utf8JsonWriter w)
    {
        w.WriteString("item_id"u8, _open!.Id);
        w.WriteNumber("output_index"u8, _items.Count - 1);
    }

    private void WritePartPosition(Utf8JsonWriter w)
    {
        WriteItemPosition(w);
        w.WriteNumber("content_index"u8, _open!.Parts.Count - 1);
    }

    private void WriteSummaryPosition(Utf8JsonWriter w)
    {
        WriteItemPosition(w);
        w.WriteNumber("summary_index"u8, _open!.Summary.Count - 1);
    }
}
