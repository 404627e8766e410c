using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream.Responses;

/// <summary>
/// Streams an answer as the Responses API does: every event an <c>event: {type}</c> line plus a <c>data:</c> object
/// that starts with the same <c>type</c> and an increasing <c>sequence_number</c>: response.created,
/// response.in_progress, per output item output_item.added, (content_part.added, output_text.delta per word,
/// output_text.done, content_part.done) or (function_call_arguments.delta per fragment, .done), output_item.done,
/// then response.completed (response.incomplete when max_output_tokens cut it). No <c>[DONE]</c>.
/// </summary>
internal sealed class ResponsesStream(SseStream sse, ResponsesAnswer answer)
{
    private int _sequence;

    public async Task RunAsync()
    {
        var a = answer;
        if (!await EmitAsync("response.created", w => Response(w, false))
            || !await EmitAsync("response.in_progress", w => Response(w, false)))
        {
            return;
        }
        bool ok = a.IsToolCall ? await CallsAsync() : await MessageAsync();
        if (ok && await EmitAsync(a.Incomplete ? "response.incomplete" : "response.completed", w => Response(w, true)))
        {
            sse.Finish();
        }
    }

    private void Response(Utf8JsonWriter w, bool final)
    {
        w.WritePropertyName("response"u8);
        ResponsesWriter.WriteResponse(w, answer, final);
    }

    private async Task<bool> MessageAsync()
    {
        var a = answer;
        string text = a.Choice.Content;
        if (!await EmitAsync("response.output_item.added", w => Item(w, false, ResponsesWriter.WriteMessageItem))
            || !await EmitAsync("response.content_part.added", w => { Content(w); w.WritePropertyName("part"u8); ResponsesWriter.WriteTextPart(w, ""); }))
        {
            return false;
        }
        foreach (var piece in a.Choice.Pieces)
        {
            if (!await EmitAsync("response.output_text.delta", w => { Content(w); w.WriteString("delta"u8, piece); w.WriteStartArray("logprobs"u8); w.WriteEndArray(); }))
            {
                return false;
            }
        }
        return await EmitAsync("response.output_text.done", w => { Content(w); w.WriteString("text"u8, text); w.WriteStartArray("logprobs"u8); w.WriteEndArray(); })
            && await EmitAsync("response.content_part.done", w => { Content(w); w.WritePropertyName("part"u8); ResponsesWriter.WriteTextPart(w, text); })
            && await EmitAsync("response.output_item.done", w => Item(w, true, ResponsesWriter.WriteMessageItem));
    }

    private async Task<bool> CallsAsync()
    {
        var calls = answer.Choice.ToolCalls!;
        for (int i = 0; i < calls.Count; i++)
        {
            int index = i;
            string itemId = answer.CallItemIds[i];
            void Head(Utf8JsonWriter w)
            {
                w.WriteString("item_id"u8, itemId);
                w.WriteNumber("output_index"u8, index);
            }
            if (!await EmitAsync("response.output_item.added", w => CallItem(w, index, false)))
            {
                return false;
            }
            foreach (var fragment in calls[i].Fragments)
            {
                if (!await EmitAsync("response.function_call_arguments.delta", w => { Head(w); w.WriteString("delta"u8, fragment); }))
                {
                    return false;
                }
            }
            if (!await EmitAsync("response.function_call_arguments.done", w => { Head(w); w.WriteString("name"u8, calls[index].Name); w.WriteString("arguments"u8, calls[index].Arguments); })
                || !await EmitAsync("response.output_item.done", w => CallItem(w, index, true)))
            {
                return false;
            }
        }
        return true;
    }

    private void Item(Utf8JsonWriter w, bool done, Action<Utf8JsonWriter, ResponsesAnswer, bool> write)
    {
        w.WriteNumber("output_index"u8, 0);
        w.WritePropertyName("item"u8);
        write(w, answer, done);
    }

    private void CallItem(Utf8JsonWriter w, int index, bool done)
    {
        w.WriteNumber("output_index"u8, index);
        w.WritePropertyName("item"u8);
        ResponsesWriter.WriteCallItem(w, answer, index, done);
    }

    private void Content(Utf8JsonWriter w)
    {
        w.WriteString("item_id"u8, answer.MessageId);
        w.WriteNumber("output_index"u8, 0);
        w.WriteNumber("content_index"u8, 0);
    }

    private async ValueTask<bool> EmitAsync(string type, Action<Utf8JsonWriter> body)
    {
        if (!await sse.BeforeEventAsync())
        {
            return false;
        }
        var w = sse.BeginEvent(Encoding.UTF8.GetBytes(type));
        w.WriteStartObject();
        w.WriteString("type"u8, type);
        w.WriteNumber("sequence_number"u8, _sequence++);
        body(w);
        w.WriteEndObject();
        return await sse.EndDataAsync();
    }
}
