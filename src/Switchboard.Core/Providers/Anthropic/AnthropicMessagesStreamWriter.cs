using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Switchboard.Http;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Anthropic;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Writes canonical stream events as Messages API server-sent events (<c>event: NAME\ndata: {...}\n\n</c>),
/// the way Anthropic streams: <c>message_start</c>; then per content block <c>content_block_start</c>,
/// its deltas and <c>content_block_stop</c>, blocks numbered 0, 1, ... (text, thinking closed by its
/// <c>signature_delta</c>, <c>tool_use</c> with <c>input_json_delta</c> fragments); then
/// <c>message_delta</c> (stop reason and usage) and <c>message_stop</c>. One instance per stream.
/// </summary>
/// <remarks>
/// <para>Only one block is open at a time; a block closes when an event of another kind arrives.
/// A tool call's argument fragment that arrives after its block closed (some servers interleave parallel
/// calls) is still written at that block's index, where the SDKs accumulate it.</para>
/// <para>Anthropic puts the stop reason and the output tokens in one <c>message_delta</c>, while other
/// providers send their usage after the finish: the writer holds the finish until a usage event arrives
/// and then ends the message. When the upstream ends without usage, the caller ends it with
/// <see cref="Complete"/>, which the caller must call once the upstream stream has ended cleanly.
/// A <see cref="StreamErrorEvent"/> is written as an <c>error</c> event, after which nothing more is
/// written (the stream has no clean end, as the contract requires).</para>
/// <para><c>message_start</c> carries the input tokens only when the usage is already in hand (in the same
/// batch as the start); otherwise 0, and the counts follow in <c>message_delta</c>, which the SDKs merge.</para>
/// </remarks>
public sealed partial class AnthropicMessagesStreamWriter : IDisposable
{
    private readonly AnthropicMessagesStreamWriterOptions _options;
    private readonly List<(int Source, int Block)> _tools = [];
    private Utf8JsonWriter? _json;
    private bool _started;
    private int _nextBlock;
    private int _openBlock = -1;
    private OpenKind _openKind;
    private string? _heldSignature;
    /// <summary>Whether the open thinking block got its signature.</summary>
    private bool _thinkingSigned;
    private FinishReason? _finish;
    private Usage? _usage;

    public AnthropicMessagesStreamWriter(AnthropicMessagesStreamWriterOptions? options = null)
    {
        _options = options ?? new AnthropicMessagesStreamWriterOptions();
    }

    /// <summary>A keep-alive frame, as Anthropic sends (<c>event: ping</c>).</summary>
    public static ReadOnlySpan<byte> PingFrame => "event: ping\ndata: {\"type\":\"ping\"}\n\n"u8;

    /// <summary>True once <c>message_stop</c> or an <c>error</c> event went out: nothing more will be written.</summary>
    public bool IsEnded { get; private set; }

    /// <summary>True once the message ended cleanly with <c>message_stop</c>.</summary>
    public bool IsComplete { get; private set; }

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
        for (var i = 0; i < events.Length && !IsEnded; i++)
        {
            switch (events[i])
            {
                case StreamStartEvent start:
                    Start(start, events[(i + 1)..], output);
                    break;
                case ChoiceStreamEvent { ChoiceIndex: 0 } choiceEvent:
                    Add(choiceEvent, output);
                    break;
                case UsageEvent usage:
                    _usage = usage.Usage;
                    break;
                case ProviderBlockEvent block when block.Dialect == AnthropicMessagesDialect.Name:
                    EnsureStarted(output);
                    CloseBlock(output);
                    WriteRawBlock(block.Block, output);
                    break;
                case StreamErrorEvent error:
                    WriteError(error, output);
                    IsEnded = true;
                    break;
                default:
                    // Other choices (Anthropic has one), logprobs, other providers' blocks.
                    break;
            }
        }
        if (!IsEnded && _finish is not null && _usage is not null)
        {
            End(output);
        }
    }

    /// <summary>
    /// Ends the message after the upstream stream ended cleanly: closes the open block and writes
    /// <c>message_delta</c> (the stop reason seen, else <c>end_turn</c>; the usage seen, else zeros) and
    /// <c>message_stop</c>. Does nothing when the message already ended or an error was written.
    /// Not for cut streams: those end with a <see cref="StreamErrorEvent"/> instead.
    /// </summary>
    public void Complete(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!IsEnded)
        {
            EnsureStarted(output);
            End(output);
        }
    }

    public void Dispose() => _json?.Dispose();

    private void Start(StreamStartEvent start, ReadOnlySpan<StreamEvent> rest, IBufferWriter<byte> output)
    {
        if (_started)
        {
            return;
        }
        Usage? known = null;
        foreach (var later in rest)
        {
            if (later is UsageEvent usage)
            {
                known = usage.Usage;
            }
        }
        WriteMessageStart(AnthropicMessagesResponseWriter.MessageId(start.Id), _options.Model ?? start.Model, known, output);
        _started = true;
    }

    private void EnsureStarted(IBufferWriter<byte> output)
    {
        if (!_started)
        {
            WriteMessageStart(AnthropicMessagesResponseWriter.MessageId(null), _options.Model ?? "", null, output);
            _started = true;
        }
    }

    private void Add(ChoiceStreamEvent e, IBufferWriter<byte> output)
    {
        switch (e)
        {
            case TextDeltaEvent { Text.Length: > 0 } text:
                Open(OpenKind.Text, output);
                WriteDelta("text_delta"u8, "text"u8, text.Text, _openBlock, output);
                break;
            case RefusalDeltaEvent { Refusal.Length: > 0 } refusal:
                Open(OpenKind.Text, output);
                WriteDelta("text_delta"u8, "text"u8, refusal.Refusal, _openBlock, output);
                break;
            case ThinkingDeltaEvent { Text.Length: > 0 } thinking:
                Open(OpenKind.Thinking, output);
                WriteDelta("thinking_delta"u8, "thinking"u8, thinking.Text, _openBlock, output);
                break;
            case SignatureDeltaEvent signature when _openKind == OpenKind.Thinking || _nextBlock == 0:
                Open(OpenKind.Thinking, output);
                WriteSignature(signature.Signature, output);
                CloseBlock(output);
                break;
            case SignatureDeltaEvent signature:
                // A signature with no thinking of its own after other blocks (Gemini signs the turn's last text part):
                // held, and written as a thinking block only ahead of a tool call. A thinking block after the final
                // text would hide the answer from clients that read the last block (Claude Code's -p result), and
                // Gemini does not require a text part's signature back.
                _heldSignature = signature.Signature;
                break;
            case RedactedThinkingEvent redacted:
                EnsureStarted(output);
                CloseBlock(output);
                WriteRedactedBlock(redacted.Data, output);
                break;
            case ToolCallStartEvent call:
                EnsureStarted(output);
                CloseBlock(output);
                if ((call.Signature ?? _heldSignature) is { Length: > 0 } callSignature)
                {
                    // Gemini signs the function call itself; an Anthropic client carries that as the thinking block
                    // before its tool_use, which the Gemini writer puts back on the call in the next turn.
                    WriteSignatureBlock(callSignature, output);
                }
                _heldSignature = null;
                _tools.Add((call.ToolIndex, _nextBlock));
                _openBlock = _nextBlock++;
                _openKind = OpenKind.Tool;
                WriteToolStart(_openBlock, call.Id ?? WireIds.Random("toolu_", 24), call.Name, output);
                break;
            case ToolCallArgumentsDeltaEvent { Fragment.Length: > 0 } arguments when BlockOfTool(arguments.ToolIndex) is var block && block >= 0:
                WriteDelta("input_json_delta"u8, "partial_json"u8, arguments.Fragment, block, output);
                break;
            case FinishEvent finish:
                EnsureStarted(output);
                CloseBlock(output);
                _finish = finish.Reason;
                break;
            default:
                // Empty deltas and logprobs add nothing for an Anthropic client.
                break;
        }
    }

    /// <summary>Makes a block of <paramref name="kind"/> the open one, closing another kind first.</summary>
    private void Open(OpenKind kind, IBufferWriter<byte> output)
    {
        EnsureStarted(output);
        if (_openKind == kind)
        {
            return;
        }
        CloseBlock(output);
        _openBlock = _nextBlock++;
        _openKind = kind;
        _thinkingSigned = false;
        WriteBlockStart(kind, _openBlock, output);
    }

    private void WriteSignatureBlock(string signature, IBufferWriter<byte> output)
    {
        _openBlock = _nextBlock++;
        _openKind = OpenKind.Thinking;
        WriteBlockStart(OpenKind.Thinking, _openBlock, output);
        WriteSignature(signature, output);
        CloseBlock(output);
    }

    /// <summary>The open thinking block's signature: another provider's, wrapped so that a later turn can carry the block to
    /// any upstream (see <see cref="GatewayThinking"/>); null: the block had none.</summary>
    private void WriteSignature(string? signature, IBufferWriter<byte> output)
    {
        WriteDelta("signature_delta"u8, "signature"u8, GatewayThinking.Wrap(signature), _openBlock, output);
        _thinkingSigned = true;
    }

    private void CloseBlock(IBufferWriter<byte> output)
    {
        if (_openKind == OpenKind.None)
        {
            return;
        }
        if (_openKind == OpenKind.Thinking && !_thinkingSigned)
        {
            // A thought summary with no signature (Gemini's): never left with the start's "".
            WriteSignature(null, output);
        }
        WriteBlockStop(_openBlock, output);
        _openKind = OpenKind.None;
    }

    private int BlockOfTool(int sourceIndex)
    {
        foreach (var (source, block) in _tools)
        {
            if (source == sourceIndex)
            {
                return block;
            }
        }
        return -1;
    }

    private void End(IBufferWriter<byte> output)
    {
        CloseBlock(output);
        WriteMessageDelta(_finish is null ? AnthropicStopReasons.EndTurn : AnthropicStopReasons.ToWire(_finish), _usage, output);
        WriteMessageStop(output);
        IsEnded = true;
        IsComplete = true;
    }

    private enum OpenKind
    {
        None,
        Text,
        Thinking,
        Tool,
    }
}
