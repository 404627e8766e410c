using Switchboard.Translation;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Gemini;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Turns the chunks of a <c>streamGenerateContent?alt=sse</c> stream into <see cref="StreamEvent"/>s. One
/// instance per stream. Every SSE <c>data:</c> is a whole <c>GenerateContentResponse</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The first chunk yields <see cref="StreamStartEvent"/> (id = <c>responseId</c>, made up when
/// absent; model = <c>modelVersion</c>).</item>
/// <item>Parts yield text, thinking (<c>thought</c> parts) and signature deltas; a <c>thoughtSignature</c>
/// on a non-thought part comes before that part's text, as in <see cref="GeminiResponseReader"/>.
/// Gemini sends a <c>functionCall</c> whole in one chunk: it yields <see cref="ToolCallStartEvent"/>
/// (with its signature) and one <see cref="ToolCallArgumentsDeltaEvent"/> holding all the arguments;
/// tool indexes count 0, 1, ... per candidate in order of appearance across the stream. Media parts are
/// not streamed (the canonical stream has no media events).</item>
/// <item><c>finishReason</c> yields <see cref="FinishEvent"/>; <c>STOP</c> after function calls is
/// tool_calls. Gemini repeats <c>usageMetadata</c> on many chunks with growing numbers: the reader keeps
/// the latest and emits one <see cref="UsageEvent"/> once every candidate has finished (again only if
/// a later chunk changes the numbers). <see cref="Complete"/> flushes it for a stream that ended early.</item>
/// <item>There is no <c>[DONE]</c>: <see cref="IsComplete"/> tells a finished stream from a cut one.</item>
/// <item>An <c>error</c> chunk yields <see cref="StreamErrorEvent"/>; a prompt blocked outright
/// (<c>promptFeedback.blockReason</c>) a refusal delta and a content_filter finish.</item>
/// </list>
/// </remarks>
public sealed class GeminiStreamReader
{
    private readonly List<ChoiceState> _choices = [];
    private bool _started;
    private Usage? _usage;
    private Usage? _usageSent;

    /// <summary>True once every candidate seen has a finish reason: the stream ended as Gemini meant it to.
    /// A stream whose connection closes before this is cut and must end with an error.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>The latest usage the stream reported, for the ledger (also when it was cut).</summary>
    public Usage? Usage => _usage;

    /// <summary>
    /// Reads one SSE <c>data:</c> payload and appends its events to <paramref name="events"/>; on a
    /// malformed chunk appends nothing and returns the reason.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> data, List<StreamEvent> events, [NotNullWhen(false)] out ValidationError? error)
    {
        ArgumentNullException.ThrowIfNull(events);
        var firstEvent = events.Count;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!WireDocument.TryOpenObject(ref reader, "stream chunk", out error))
            {
                return false;
            }
            AddEvents(GeminiDocumentReader.Read(ref reader), events);
            error = null;
            return true;
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            events.RemoveRange(firstEvent, events.Count - firstEvent);
            error = WireDocument.Explain(e, "stream chunk");
            return false;
        }
    }

    /// <summary>Call when the upstream stream has ended: adds the usage if it was never emitted (a stream
    /// cut before its finish), so what was spent is still recorded.</summary>
    public void Complete(List<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_usage is not null && _usageSent is null && _started)
        {
            events.Add(new UsageEvent(_usage));
            _usageSent = _usage;
        }
    }

    private void AddEvents(GeminiDocument document, List<StreamEvent> events)
    {
        if (!_started)
        {
            _started = true;
            events.Add(new StreamStartEvent(
                document.ResponseId ?? GeminiResponseReader.NewResponseId(),
                document.ModelVersion ?? "",
                DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        }
        if (document.Error is { } failure)
        {
            events.Add(ToErrorEvent(failure));
            return;
        }

        var finished = false;
        foreach (var candidate in document.Candidates)
        {
            var state = State(candidate.Index);
            if (state.Finished)
            {
                continue;
            }
            foreach (var part in candidate.Parts)
            {
                AddPartEvents(events, candidate.Index, state, part);
            }
            if (candidate.Logprobs is { } logprobs)
            {
                events.Add(new LogprobsDeltaEvent(candidate.Index, logprobs));
            }
            if (candidate.FinishReason is { } reason)
            {
                events.Add(new FinishEvent(candidate.Index, GeminiFinishReasons.FromWire(reason, state.ToolCount > 0)));
                state.Finished = finished = true;
            }
        }
        if (document.Candidates.Count == 0 && document.BlockReason is { } blockReason && !State(0).Finished)
        {
            events.Add(new RefusalDeltaEvent(0, GeminiFinishReasons.BlockedMessage(blockReason, document.BlockReasonMessage)));
            events.Add(new FinishEvent(0, GeminiFinishReasons.FromBlockReason(blockReason)));
            State(0).Finished = finished = true;
        }

        if (document.Usage is { } usage)
        {
            _usage = usage;
        }
        if (finished && AllFinished())
        {
            IsComplete = true;
        }
        if (IsComplete && _usage is not null && _usage != _usageSent)
        {
            events.Add(new UsageEvent(_usage));
            _usageSent = _usage;
        }
    }

    private static void AddPartEvents(List<StreamEvent> events, int choice, ChoiceState state, GeminiPart part)
    {
        if (part.Thought)
        {
            if (!string.IsNullOrEmpty(part.Text))
            {
                events.Add(new ThinkingDeltaEvent(choice, part.Text));
            }
            if (part.Signature is not null)
            {
                events.Add(new SignatureDeltaEvent(choice, part.Signature));
            }
            return;
        }
        if (part.CallName is not null)
        {
            var toolIndex = state.ToolCount++;
            events.Add(new ToolCallStartEvent(choice, toolIndex, part.CallId ?? GeminiPart.NewCallId(), part.CallName) { Signature = part.Signature });
            events.Add(new ToolCallArgumentsDeltaEvent(choice, toolIndex, part.CallArguments ?? "{}"));
            return;
        }
        if (part.Signature is not null)
        {
            events.Add(new SignatureDeltaEvent(choice, part.Signature));
        }
        if (!string.IsNullOrEmpty(part.Text))
        {
            events.Add(new TextDeltaEvent(choice, part.Text));
        }
    }

    private static StreamErrorEvent ToErrorEvent(JsonElement failure)
    {
        var info = GeminiErrorReader.Read(failure);
        return new StreamErrorEvent(info?.Message ?? "upstream error")
        {
            Type = info?.Type switch
            {
                "RESOURCE_EXHAUSTED" => "rate_limit_error",
                "INVALID_ARGUMENT" or "FAILED_PRECONDITION" or "NOT_FOUND" => "invalid_request_error",
                _ => "server_error",
            },
            Code = info?.Code ?? info?.Type,
        };
    }

    private ChoiceState State(int index)
    {
        while (_choices.Count <= index)
        {
            _choices.Add(new ChoiceState());
        }
        return _choices[index];
    }

    private bool AllFinished()
    {
        foreach (var choice in _choices)
        {
            if (!choice.Finished)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Per candidate: how many tool calls it made (the next tool index) and whether it finished.</summary>
    private sealed class ChoiceState
    {
        public int ToolCount { get; set; }

        public bool Finished { get; set; }
    }
}
