using System.Buffers;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Anthropic;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>The JSON of the frames, in Anthropic's member order.</summary>
public sealed partial class AnthropicMessagesStreamWriter
{
    private void WriteMessageStart(string id, string model, Usage? usage, IBufferWriter<byte> output)
    {
        var json = BeginFrame("message_start"u8, output);
        json.WriteStartObject();
        json.WriteString("type"u8, "message_start"u8);
        json.WriteStartObject("message"u8);
        json.WriteString("id"u8, id);
        json.WriteString("type"u8, "message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("model"u8, model);
        json.WriteStartArray("content"u8);
        json.WriteEndArray();
        json.WriteNull("stop_reason"u8);
        json.WriteNull("stop_sequence"u8);
        json.WriteStartObject("usage"u8);
        if (usage is not null)
        {
            var tokens = AnthropicTokens.From(usage);
            tokens.Output = 0;
            tokens.WriteMembers(json);
        }
        else
        {
            json.WriteNumber("input_tokens"u8, 0);
            json.WriteNumber("output_tokens"u8, 0);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        EndFrame(json, output);
    }

    private void WriteBlockStart(OpenKind kind, int index, IBufferWriter<byte> output)
    {
        var json = BeginBlockStart(index, output);
        if (kind == OpenKind.Thinking)
        {
            json.WriteString("type"u8, "thinking"u8);
            json.WriteString("thinking"u8, ""u8);
            json.WriteString("signature"u8, ""u8);
        }
        else
        {
            json.WriteString("type"u8, "text"u8);
            json.WriteString("text"u8, ""u8);
        }
        EndBlockStart(json, output);
    }

    private void WriteToolStart(int index, string id, string name, IBufferWriter<byte> output)
    {
        var json = BeginBlockStart(index, output);
        json.WriteString("type"u8, "tool_use"u8);
        json.WriteString("id"u8, id);
        json.WriteString("name"u8, name);
        json.WriteStartObject("input"u8);
        json.WriteEndObject();
        EndBlockStart(json, output);
    }

    private void WriteRedactedBlock(string data, IBufferWriter<byte> output)
    {
        var index = _nextBlock++;
        var json = BeginBlockStart(index, output);
        json.WriteString("type"u8, "redacted_thinking"u8);
        json.WriteString("data"u8, data);
        EndBlockStart(json, output);
        WriteBlockStop(index, output);
    }

    private void WriteRawBlock(JsonElement block, IBufferWriter<byte> output)
    {
        var index = _nextBlock++;
        var json = BeginFrame("content_block_start"u8, output);
        json.WriteStartObject();
        json.WriteString("type"u8, "content_block_start"u8);
        json.WriteNumber("index"u8, index);
        json.WritePropertyName("content_block"u8);
        block.WriteTo(json);
        json.WriteEndObject();
        EndFrame(json, output);
        WriteBlockStop(index, output);
    }

    private Utf8JsonWriter BeginBlockStart(int index, IBufferWriter<byte> output)
    {
        var json = BeginFrame("content_block_start"u8, output);
        json.WriteStartObject();
        json.WriteString("type"u8, "content_block_start"u8);
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("content_block"u8);
        return json;
    }

    private static void EndBlockStart(Utf8JsonWriter json, IBufferWriter<byte> output)
    {
        json.WriteEndObject();
        json.WriteEndObject();
        EndFrame(json, output);
    }

    private void WriteDelta(ReadOnlySpan<byte> type, ReadOnlySpan<byte> member, string value, int index, IBufferWriter<byte> output)
    {
        var json = BeginFrame("content_block_delta"u8, output);
        json.WriteStartObject();
        json.WriteString("type"u8, "content_block_delta"u8);
        json.WriteNumber("index"u8, index);
        json.WriteStartObject("delta"u8);
        json.WriteString("type"u8, type);
        json.WriteString(member, value);
        json.WriteEndObject();
        json.WriteEndObject();
        EndFrame(json, output);
    }

    private void WriteBlockStop(int index, IBufferWriter<byte> output)
    {
        var json = BeginFrame("content_block_stop"u8, output);
        json.WriteStartObject();
        json.WriteString("type"u8, "content_block_stop"u8);
        json.WriteNumber("index"u8, index);
        json.WriteEndObject();
        EndFrame(json, output);
    }

    private void WriteMessageDelta(string stopReason, Usage? usage, IBufferWriter<byte> output)
    {
        var json = BeginFrame("message_delta"u8, output);
        json.WriteStartObject();
        json.WriteString("type"u8, "message_delta"u8);
        json.WriteStartObject("delta"u8);
        json.WriteString("stop_reason"u8, stopReason);
        json.WriteNull("stop_sequence"u8);
        json.WriteEndObject();
        json.WriteStartObject("usage"u8);
        if (usage is not null)
        {
            AnthropicTokens.From(usage).WriteMembers(json);
        }
        else
        {
            json.WriteNumber("output_tokens"u8, 0);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        EndFrame(json, output);
    }

    private void WriteMessageStop(IBufferWriter<byte> output)
    {
        var json = BeginFrame("message_stop"u8, output);
        json.WriteStartObject();
        json.WriteString("type"u8, "message_stop"u8);
        json.WriteEndObject();
        EndFrame(json, output);
    }

    private void WriteError(StreamErrorEvent error, IBufferWriter<byte> output)
    {
        var json = BeginFrame("error"u8, output);
        AnthropicErrorWriter.Write(json, AnthropicErrorTypes.FromCanonical(error.Type, error.Code), error.Message, requestId: null);
        EndFrame(json, output);
    }

    private Utf8JsonWriter BeginFrame(ReadOnlySpan<byte> eventName, IBufferWriter<byte> output)
    {
        output.Write("event: "u8);
        output.Write(eventName);
        output.Write("\ndata: "u8);
        if (_json is null)
        {
            _json = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        }
        else
        {
            _json.Reset(output);
        }
        return _json;
    }

    private static void EndFrame(Utf8JsonWriter json, IBufferWriter<byte> output)
    {
        json.Flush();
        output.Write("\n\n"u8);
    }
}
