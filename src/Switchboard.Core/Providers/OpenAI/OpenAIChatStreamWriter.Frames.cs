using System.Buffers;
using System.Text.Json;
using Switchboard.Http;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>The JSON of the frames: chunk, usage and error frames in OpenAI's member order.</summary>
public sealed partial class OpenAIChatStreamWriter
{
    private void FlushFrame(IBufferWriter<byte> output)
    {
        if (_frame.Choice < 0)
        {
            return;
        }
        var json = BeginJson(output);
        WriteIdentity(json);
        json.WriteStartArray("choices"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, _frame.Choice);
        json.WriteStartObject("delta"u8);
        WriteDelta(json);
        json.WriteEndObject();
        json.WritePropertyName("logprobs"u8);
        if (_frame.Logprobs is { } logprobs)
        {
            logprobs.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }
        json.WritePropertyName("finish_reason"u8);
        if (_frame.Finish is { } finish)
        {
            json.WriteStringValue(OpenAIChatFinishReasons.ToWire(finish));
        }
        else
        {
            json.WriteNullValue();
        }
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        EndJson(json, output);
        _frame = default;
        _frame.Choice = -1;
    }

    /// <summary>Members in OpenAI's order; a role frame also states <c>content</c> and <c>refusal</c>,
    /// null when the frame does not fill them, as OpenAI does.</summary>
    private void WriteDelta(Utf8JsonWriter json)
    {
        if (_frame.Role)
        {
            json.WriteString("role"u8, "assistant"u8);
            json.WritePropertyName("content"u8);
            if (_frame.Text is not null)
            {
                json.WriteStringValue(_frame.Text);
            }
            else if (_frame.HasTool || _frame.Refusal is not null || _frame.Reasoning is not null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteStringValue(""u8);
            }
        }
        else if (_frame.Text is not null)
        {
            json.WriteString("content"u8, _frame.Text);
        }

        if (_frame.Reasoning is not null)
        {
            json.WriteString("reasoning_content"u8, _frame.Reasoning);
        }
        if (_frame.HasTool)
        {
            WriteToolDelta(json);
        }
        if (_frame.Refusal is not null || _frame.Role)
        {
            json.WriteString("refusal"u8, _frame.Refusal);
        }
        if (_frame.Signature is not null || _frame.Redacted is not null)
        {
            json.WriteStartArray("thinking_blocks"u8);
            if (_frame.Signature is not null)
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "thinking"u8);
                json.WriteString("thinking"u8, ""u8);
                json.WriteString("signature"u8, _frame.Signature);
                json.WriteEndObject();
            }
            if (_frame.Redacted is not null)
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "redacted_thinking"u8);
                json.WriteString("data"u8, _frame.Redacted);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
    }

    private void WriteToolDelta(Utf8JsonWriter json)
    {
        if (_options.LegacyFunctionCall)
        {
            json.WriteStartObject("function_call"u8);
            if (_frame.ToolIsStart)
            {
                json.WriteString("name"u8, _frame.ToolName);
            }
            json.WriteString("arguments"u8, _frame.ToolArguments ?? "");
            json.WriteEndObject();
            return;
        }

        json.WriteStartArray("tool_calls"u8);
        json.WriteStartObject();
        json.WriteNumber("index"u8, _frame.ToolIndex);
        if (_frame.ToolIsStart)
        {
            json.WriteString("id"u8, _frame.ToolId);
            json.WriteString("type"u8, "function"u8);
        }
        json.WriteStartObject("function"u8);
        if (_frame.ToolIsStart)
        {
            json.WriteString("name"u8, _frame.ToolName);
        }
        json.WriteString("arguments"u8, _frame.ToolArguments ?? "");
        json.WriteEndObject();
        if (_frame.ToolIsStart)
        {
            OpenAIChatMessageWriter.WriteThoughtSignature(json, _frame.ToolSignature);
        }
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private void WriteUsageFrame(Usage usage, IBufferWriter<byte> output)
    {
        var json = BeginJson(output);
        WriteIdentity(json);
        json.WriteStartArray("choices"u8);
        json.WriteEndArray();
        json.WritePropertyName("usage"u8);
        OpenAIChatUsage.Write(json, usage);
        json.WriteEndObject();
        EndJson(json, output);
    }

    private void WriteErrorFrame(StreamErrorEvent error, IBufferWriter<byte> output)
    {
        var json = BeginJson(output);
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, error.Message);
        json.WriteString("type"u8, error.Type ?? "server_error");
        json.WriteString("param"u8, error.Param);
        json.WriteString("code"u8, error.Code);
        json.WriteEndObject();
        json.WriteEndObject();
        EndJson(json, output);
    }

    private void WriteIdentity(Utf8JsonWriter json)
    {
        if (_id is null)
        {
            // No start event (the upstream failed before saying who it is): make up what OpenAI would send.
            _id = WireIds.Random("chatcmpl-", 32);
            _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            _model = "";
        }
        json.WriteStartObject();
        json.WriteString("id"u8, _id);
        json.WriteString("object"u8, "chat.completion.chunk"u8);
        json.WriteNumber("created"u8, _created);
        json.WriteString("model"u8, _options.Model ?? _model);
        if (_fingerprint is not null)
        {
            json.WriteString("system_fingerprint"u8, _fingerprint);
        }
    }

    private Utf8JsonWriter BeginJson(IBufferWriter<byte> output)
    {
        output.Write("data: "u8);
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

    private static void EndJson(Utf8JsonWriter json, IBufferWriter<byte> output)
    {
        json.Flush();
        output.Write("\n\n"u8);
    }
}
