using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Translation.Dialects.OpenAIChat;

/// <summary>Choices a client made that shape its stream.</summary>
public sealed record OpenAIChatStreamWriterOptions
{
    /// <summary>The client asked for <c>stream_options.include_usage</c>: only then does a usage frame
    /// (with <c>choices: []</c>) go out. The gateway may have asked the upstream for usage regardless.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>Model name to report instead of the upstream's (e.g. the alias the client asked for).</summary>
    public string? Model { get; init; }

    /// <summary>The client used legacy <c>functions</c>: tool calls go out as <c>delta.function_call</c>.</summary>
    public bool LegacyFunctionCall { get; init; }
}

/// <summary>
/// Writes canonical stream events as OpenAI <c>chat.completion.chunk</c> SSE frames
/// (<c>data: {...}\n\n</c>), the way OpenAI itself does: every frame repeats the same id, created and
/// model; a choice's first frame carries <c>role: "assistant"</c>; tool calls are numbered 0, 1, ... per
/// choice in order of appearance, with id, type and name on a call's first delta only; usage goes out in
/// its own frame with <c>choices: []</c> only when the client asked for it. One instance per stream.
/// The caller writes the closing <see cref="DoneFrame"/> and flushes after each call.
/// </summary>
/// <remarks>
/// Events handed over together (those a reader got from one upstream frame) share one frame where
/// OpenAI would put them together, so an OpenAI stream passed through reader and writer comes out frame
/// for frame as it went in. A new frame starts when the choice changes or a member is already taken.
/// </remarks>
public sealed class OpenAIChatStreamWriter : IDisposable
{
    private readonly OpenAIChatStreamWriterOptions _options;
    private readonly List<ChoiceState> _choices = [];
    private Utf8JsonWriter? _json;
    private string? _id;
    private string? _model;
    private long _created;
    private string? _fingerprint;
    private Frame _frame;

    public OpenAIChatStreamWriter(OpenAIChatStreamWriterOptions? options = null)
    {
        _options = options ?? new OpenAIChatStreamWriterOptions();
        _frame.Choice = -1;
    }

    /// <summary>The frame that ends an OpenAI stream after a clean finish.</summary>
    public static ReadOnlySpan<byte> DoneFrame => "data: [DONE]\n\n"u8;

    /// <summary>Writes one event.</summary>
    public void Write(StreamEvent streamEvent, IBufferWriter<byte> output) =>
        Write(new ReadOnlySpan<StreamEvent>(in streamEvent), output);

    /// <summary>Writes the events of one upstream frame.</summary>
    public void Write(List<StreamEvent> events, IBufferWriter<byte> output) =>
        Write(CollectionsMarshal.AsSpan(events), output);

    /// <summary>Writes the events of one upstream frame.</summary>
    public void Write(ReadOnlySpan<StreamEvent> events, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var streamEvent in events)
        {
            switch (streamEvent)
            {
                case ChoiceStreamEvent choiceEvent:
                    Add(choiceEvent, output);
                    break;
                case StreamStartEvent start:
                    Start(start, output);
                    break;
                case UsageEvent usage:
                    FlushFrame(output);
                    if (_options.IncludeUsage)
                    {
                        WriteUsageFrame(usage.Usage, output);
                    }
                    break;
                case StreamErrorEvent error:
                    FlushFrame(output);
                    WriteErrorFrame(error, output);
                    break;
            }
        }
        FlushFrame(output);
    }

    public void Dispose() => _json?.Dispose();

    private void Start(StreamStartEvent start, IBufferWriter<byte> output)
    {
        if (_id is null)
        {
            _id = start.Id;
            _model = start.Model;
            _created = start.Created;
            _fingerprint = start.SystemFingerprint;
        }
        // The role frame goes out now, even before any content, so the client sees the answer begin.
        BeginFrame(0, output);
    }

    private void Add(ChoiceStreamEvent e, IBufferWriter<byte> output)
    {
        var choice = e.ChoiceIndex;
        if (_frame.Choice != choice || _frame.Finish is not null)
        {
            FlushFrame(output);
            BeginFrame(choice, output);
        }

        switch (e)
        {
            case TextDeltaEvent text:
                if (_frame.Text is not null)
                {
                    Restart(choice, output);
                }
                _frame.Text = text.Text;
                break;
            case ThinkingDeltaEvent thinking:
                if (_frame.Reasoning is not null || _frame.Signature is not null)
                {
                    Restart(choice, output);
                }
                _frame.Reasoning = thinking.Text;
                break;
            case SignatureDeltaEvent signature:
                if (_frame.Signature is not null)
                {
                    Restart(choice, output);
                }
                _frame.Signature = signature.Signature;
                break;
            case RedactedThinkingEvent redacted:
                if (_frame.Redacted is not null)
                {
                    Restart(choice, output);
                }
                _frame.Redacted = redacted.Data;
                break;
            case RefusalDeltaEvent refusal:
                if (_frame.Refusal is not null)
                {
                    Restart(choice, output);
                }
                _frame.Refusal = refusal.Refusal;
                break;
            case ToolCallStartEvent start:
                if (_frame.HasTool)
                {
                    Restart(choice, output);
                }
                var state = _choices[choice];
                _frame.HasTool = true;
                _frame.ToolIndex = state.MapTool(start.ToolIndex);
                _frame.ToolIsStart = true;
                _frame.ToolId = start.Id ?? $"call_{Guid.NewGuid():N}"[..29];
                _frame.ToolName = start.Name;
                _frame.ToolSignature = start.Signature;
                _frame.ToolArguments = "";
                break;
            case ToolCallArgumentsDeltaEvent arguments:
                var index = _choices[choice].MapTool(arguments.ToolIndex);
                if (arguments.Fragment.Length == 0)
                {
                    // Anthropic opens every tool input with an empty partial_json: nothing to tell the client.
                    break;
                }
                if (_frame.HasTool && _frame.ToolIndex == index)
                {
                    _frame.ToolArguments = string.IsNullOrEmpty(_frame.ToolArguments)
                        ? arguments.Fragment
                        : _frame.ToolArguments + arguments.Fragment;
                    break;
                }
                if (_frame.HasTool)
                {
                    Restart(choice, output);
                }
                _frame.HasTool = true;
                _frame.ToolIndex = index;
                _frame.ToolIsStart = false;
                _frame.ToolArguments = arguments.Fragment;
                break;
            case LogprobsDeltaEvent logprobs:
                if (_frame.Logprobs is not null)
                {
                    Restart(choice, output);
                }
                _frame.Logprobs = logprobs.Logprobs;
                break;
            case FinishEvent finish:
                _frame.Finish = finish.Reason;
                break;
        }
    }

    private void Restart(int choice, IBufferWriter<byte> output)
    {
        FlushFrame(output);
        BeginFrame(choice, output);
    }

    private void BeginFrame(int choice, IBufferWriter<byte> output)
    {
        if (_frame.Choice != choice)
        {
            FlushFrame(output);
        }
        while (_choices.Count <= choice)
        {
            _choices.Add(new ChoiceState());
        }
        _frame.Choice = choice;
        var state = _choices[choice];
        if (!state.RoleSent)
        {
            _frame.Role = true;
            state.RoleSent = true;
        }
    }

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
            _id = $"chatcmpl-{Guid.NewGuid():N}";
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

    /// <summary>What one client frame will say; filled by events, written and cleared by <see cref="FlushFrame"/>.</summary>
    private struct Frame
    {
        public int Choice;
        public bool Role;
        public string? Text;
        public string? Reasoning;
        public string? Signature;
        public string? Redacted;
        public string? Refusal;
        public bool HasTool;
        public bool ToolIsStart;
        public int ToolIndex;
        public string? ToolId;
        public string? ToolName;
        public string? ToolArguments;
        public string? ToolSignature;
        public JsonElement? Logprobs;
        public FinishReason? Finish;
    }

    /// <summary>Per-choice progress: whether its role went out, and the OpenAI index of each tool call
    /// by the source's index (position in the list = OpenAI index).</summary>
    private sealed class ChoiceState
    {
        private readonly List<int> _toolSourceIndexes = [];

        public bool RoleSent { get; set; }

        public int MapTool(int sourceIndex)
        {
            for (var i = 0; i < _toolSourceIndexes.Count; i++)
            {
                if (_toolSourceIndexes[i] == sourceIndex)
                {
                    return i;
                }
            }
            _toolSourceIndexes.Add(sourceIndex);
            return _toolSourceIndexes.Count - 1;
        }
    }
}
