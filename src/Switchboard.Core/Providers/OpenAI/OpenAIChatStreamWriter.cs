using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Switchboard.Http;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI;

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
public sealed partial class OpenAIChatStreamWriter : IDisposable
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
                RestartIf(_frame.Text is not null, choice, output);
                _frame.Text = text.Text;
                break;
            case ThinkingDeltaEvent thinking:
                RestartIf(_frame.Reasoning is not null || _frame.Signature is not null, choice, output);
                _frame.Reasoning = thinking.Text;
                break;
            case SignatureDeltaEvent signature:
                RestartIf(_frame.Signature is not null, choice, output);
                _frame.Signature = signature.Signature;
                break;
            case RedactedThinkingEvent redacted:
                RestartIf(_frame.Redacted is not null, choice, output);
                _frame.Redacted = redacted.Data;
                break;
            case RefusalDeltaEvent refusal:
                RestartIf(_frame.Refusal is not null, choice, output);
                _frame.Refusal = refusal.Refusal;
                break;
            case ToolCallStartEvent start:
                RestartIf(_frame.HasTool, choice, output);
                var state = _choices[choice];
                _frame.HasTool = true;
                _frame.ToolIndex = state.MapTool(start.ToolIndex);
                _frame.ToolIsStart = true;
                _frame.ToolId = start.Id ?? WireIds.Random("call_", 24);
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
                RestartIf(_frame.HasTool, choice, output);
                _frame.HasTool = true;
                _frame.ToolIndex = index;
                _frame.ToolIsStart = false;
                _frame.ToolArguments = arguments.Fragment;
                break;
            case LogprobsDeltaEvent logprobs:
                RestartIf(_frame.Logprobs is not null, choice, output);
                _frame.Logprobs = logprobs.Logprobs;
                break;
            case FinishEvent finish:
                _frame.Finish = finish.Reason;
                break;
        }
    }

    /// <summary>Starts a new frame when the slot an event fills is already taken in the current one.</summary>
    private void RestartIf(bool slotTaken, int choice, IBufferWriter<byte> output)
    {
        if (!slotTaken)
        {
            return;
        }
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
