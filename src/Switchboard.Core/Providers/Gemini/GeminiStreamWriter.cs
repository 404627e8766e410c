using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Gemini;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Canonical stream events as Gemini's <c>streamGenerateContent</c>: each batch one <c>GenerateContentResponse</c>,
/// as an SSE <c>data:</c> frame (<c>?alt=sse</c>) or as an element of one JSON array (without it). Gemini sends a
/// function call whole, so a call's argument fragments are held until the call is complete; the finish reason and
/// usage go in the last response, which a complete stream always gets (Gemini CLI refuses a stream without one).
/// </summary>
public sealed class GeminiStreamWriter(bool jsonArray) : IDisposable
{
    private readonly List<PendingCall> _calls = [];
    private readonly SortedDictionary<int, string> _finishes = [];
    private string _responseId = GeminiResponseReader.NewResponseId();
    private string? _modelVersion;
    private Usage? _usage;
    private bool _wroteAny;
    private bool _inThought;

    public void Write(List<StreamEvent> events, IBufferWriter<byte> output)
    {
        // Parts of this batch, by choice, in order.
        List<(int Choice, ContentPart Part)>? parts = null;
        foreach (var streamEvent in events)
        {
            var wasInThought = _inThought;
            _inThought = streamEvent is ThinkingDeltaEvent || (wasInThought && streamEvent is not ChoiceStreamEvent);
            switch (streamEvent)
            {
                case StreamStartEvent start:
                    if (start.Id.Length > 0) _responseId = start.Id;
                    if (start.Model.Length > 0) _modelVersion = start.Model;
                    break;
                case TextDeltaEvent text when text.Text.Length > 0:
                    CompleteCalls(ref parts, text.ChoiceIndex);
                    Add(ref parts, text.ChoiceIndex, new TextPart(text.Text));
                    break;
                case RefusalDeltaEvent refusal when refusal.Refusal.Length > 0:
                    Add(ref parts, refusal.ChoiceIndex, new TextPart(refusal.Refusal));
                    break;
                case ThinkingDeltaEvent thinking when thinking.Text.Length > 0:
                    Add(ref parts, thinking.ChoiceIndex, new ThinkingPart(thinking.Text));
                    break;
                case SignatureDeltaEvent signature:
                    // The signature of the thinking just streamed (Anthropic) or of what comes next (Gemini).
                    Add(ref parts, signature.ChoiceIndex, wasInThought
                        ? new GeminiAnswerWriter.SignedThoughtEnd(signature.Signature)
                        : new ThinkingPart("", signature.Signature));
                    break;
                case ToolCallStartEvent call:
                    CompleteCalls(ref parts, call.ChoiceIndex);
                    _calls.Add(new PendingCall(call.ChoiceIndex, call.ToolIndex, call.Id, call.Name, call.Signature));
                    break;
                case ToolCallArgumentsDeltaEvent delta:
                    foreach (var pending in _calls)
                    {
                        if (pending.Choice == delta.ChoiceIndex && pending.ToolIndex == delta.ToolIndex) pending.Arguments.Append(delta.Fragment);
                    }
                    break;
                case FinishEvent finish:
                    CompleteCalls(ref parts, finish.ChoiceIndex);
                    _finishes[finish.ChoiceIndex] = GeminiAnswerWriter.FinishReason(finish.Reason);
                    break;
                case UsageEvent usage:
                    _usage = usage.Usage;
                    break;
                default:
                    break;
            }
        }
        if (parts is not null) WriteResponse(output, parts, last: false);
    }

    /// <summary>The last response: calls still open, the finish reasons, usage; and the array's end.</summary>
    public void Complete(IBufferWriter<byte> output)
    {
        List<(int Choice, ContentPart Part)>? parts = null;
        CompleteCalls(ref parts, choice: null);
        if (_finishes.Count == 0) _finishes[0] = "STOP";
        WriteResponse(output, parts ?? [], last: true);
        if (jsonArray) output.Write("]"u8);
    }

    /// <summary>Ends a failed stream with Google's error object, as its own frame (SSE) or the array's last element.</summary>
    public void Fail(IBufferWriter<byte> output, int status, string message)
    {
        WriteFrameStart(output);
        GeminiErrorWriter.Write(output, status, message);
        WriteFrameEnd(output);
        if (jsonArray) output.Write("]"u8);
    }

    public void Dispose()
    {
    }

    private void WriteResponse(IBufferWriter<byte> output, List<(int Choice, ContentPart Part)> parts, bool last)
    {
        WriteFrameStart(output);
        using (var writer = new Utf8JsonWriter(output, WireWriting.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("candidates"u8);
            foreach (var choice in Choices(parts, last))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("content"u8);
                writer.WriteStartArray("parts"u8);
                GeminiAnswerWriter.WriteParts(writer, parts.Where(p => p.Choice == choice).Select(p => p.Part));
                writer.WriteEndArray();
                writer.WriteString("role"u8, "model"u8);
                writer.WriteEndObject();
                if (last && _finishes.TryGetValue(choice, out var reason)) writer.WriteString("finishReason"u8, reason);
                writer.WriteNumber("index"u8, choice);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (last && _usage is { } usage) GeminiAnswerWriter.WriteUsage(writer, usage);
            if (_modelVersion is not null) writer.WriteString("modelVersion"u8, _modelVersion);
            writer.WriteString("responseId"u8, _responseId);
            writer.WriteEndObject();
        }
        WriteFrameEnd(output);
    }

    private SortedSet<int> Choices(List<(int Choice, ContentPart Part)> parts, bool last)
    {
        var choices = new SortedSet<int>(parts.Select(p => p.Choice));
        if (last) choices.UnionWith(_finishes.Keys);
        return choices;
    }

    private void WriteFrameStart(IBufferWriter<byte> output)
    {
        if (!jsonArray) output.Write("data: "u8);
        else output.Write(_wroteAny ? ",\r\n"u8 : "["u8);
        _wroteAny = true;
    }

    private void WriteFrameEnd(IBufferWriter<byte> output)
    {
        if (!jsonArray) output.Write("\r\n\r\n"u8);
    }

    /// <summary>Moves the open calls of <paramref name="choice"/> (null: all) into the parts, whole.</summary>
    private void CompleteCalls(ref List<(int Choice, ContentPart Part)>? parts, int? choice)
    {
        for (var i = 0; i < _calls.Count; i++)
        {
            var call = _calls[i];
            if (choice is { } only && call.Choice != only) continue;
            var arguments = call.Arguments.Length == 0 ? "{}" : call.Arguments.ToString();
            Add(ref parts, call.Choice, new ToolCallPart(call.Id, call.Name, arguments) { Signature = call.Signature });
            _calls.RemoveAt(i--);
        }
    }

    private static void Add(ref List<(int Choice, ContentPart Part)>? parts, int choice, ContentPart part) =>
        (parts ??= []).Add((choice, part));

    private sealed record PendingCall(int Choice, int ToolIndex, string? Id, string Name, string? Signature)
    {
        public StringBuilder Arguments { get; } = new();
    }
}
