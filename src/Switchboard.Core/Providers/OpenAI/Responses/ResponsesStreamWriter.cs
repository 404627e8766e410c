using System.Buffers;
using System.Text.Json;
using Switchboard.Dialects;
using Switchboard.Errors;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// Writes canonical stream events as Responses API server-sent events, as OpenAI sends them: each frame is
/// <c>event: &lt;type&gt;</c> plus <c>data: {"type":"&lt;type&gt;","sequence_number":n,...}</c> with n increasing from 0;
/// <c>response.created</c> and <c>response.in_progress</c> first; then each output item (reasoning, message, function or
/// custom tool call) opened by <c>response.output_item.added</c>, filled by its delta events inside its parts, closed by
/// its <c>.done</c> events and <c>response.output_item.done</c>; last <c>response.completed</c> (or
/// <c>response.incomplete</c>) with the whole response object. A <see cref="StreamErrorEvent"/> ends the stream with
/// <c>error</c> and <c>response.failed</c>, and nothing follows it, never <c>response.completed</c>. One instance per
/// stream; only the first choice is written (the Responses API has no <c>n</c>).
/// </summary>
public sealed partial class ResponsesStreamWriter : IClientStreamWriter
{
    private readonly ChatRequest _request;
    private readonly string? _model;
    private readonly List<ResponsesClientItem> _items = [];
    private readonly Dictionary<int, ResponsesClientItem> _tools = [];
    private Utf8JsonWriter? _json;
    private int _sequence;
    private string? _id;
    private long _created;
    private string _upstreamModel = "";
    private FinishReason? _finish;
    private Translation.Canonical.Usage? _usage;
    private bool _ended;

    /// <param name="request">The client's request: echoed in the response objects, and it says which tools are custom.</param>
    /// <param name="model">Model name to report instead of the upstream's (e.g. the alias the client asked for).</param>
    public ResponsesStreamWriter(ChatRequest request, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        _request = request;
        _model = model;
    }

    /// <summary>Writes the events of one upstream frame.</summary>
    public void Write(List<StreamEvent> events, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var streamEvent in events)
        {
            if (_ended)
            {
                return;
            }
            Write(streamEvent, output);
        }
    }

    /// <summary>Ends a complete stream: closes what is open and writes <c>response.completed</c> (or
    /// <c>response.incomplete</c>). Nothing after a failure.</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        if (_ended)
        {
            return;
        }
        EnsureStarted(output);
        CloseOpen(output);
        _ended = true;
        var (status, reason) = ResponsesResponseWriter.StatusOf(_finish);
        var head = Head(status) with { IncompleteReason = reason, Usage = _usage };
        WriteEvent(output, status == ResponsesEventTypes.StatusCompleted ? ResponsesEventTypes.Completed : ResponsesEventTypes.Incomplete, head,
            static (w, head, self) => self.WriteResponseMember(w, head));
    }

    /// <summary>The stream broke after it started (connection lost, timeout, cut, garbled): the same ending as an
    /// upstream error event, <c>error</c> and <c>response.failed</c> numbered after the events already sent.</summary>
    public bool TryFail(GatewayError error, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!_ended)
        {
            Fail(new StreamErrorEvent(error.Message) { Type = error.Type, Code = error.Code, Param = error.Param }, output);
        }
        return true;
    }

    public void Dispose() => _json?.Dispose();

    private void Write(StreamEvent streamEvent, IBufferWriter<byte> output)
    {
        switch (streamEvent)
        {
            case StreamStartEvent start:
                Start(start.Id, start.Created, start.Model, output);
                break;
            case ChoiceStreamEvent { ChoiceIndex: not 0 }:
                break;
            case TextDeltaEvent text:
                AppendText(text.Text, refusal: false, output);
                break;
            case RefusalDeltaEvent refusal:
                AppendText(refusal.Refusal, refusal: true, output);
                break;
            case ThinkingDeltaEvent thinking:
                AppendThinking(thinking.Text, output);
                break;
            case SignatureDeltaEvent signature:
                EndReasoning(signature.Signature, output);
                break;
            case RedactedThinkingEvent redacted:
                CloseOpen(output);
                EndReasoning(redacted.Data, output);
                break;
            case ToolCallStartEvent call:
                StartCall(call, output);
                break;
            case ToolCallArgumentsDeltaEvent arguments:
                AppendArguments(arguments, output);
                break;
            case FinishEvent finish:
                _finish = finish.Reason;
                CloseOpen(output);
                break;
            case UsageEvent usage:
                _usage = usage.Usage;
                break;
            case StreamErrorEvent error:
                Fail(error, output);
                break;
            case ProviderBlockEvent { Dialect: ResponsesDialect.Name } block:
                AddHosted(block, output);
                break;
        }
    }

    private void Start(string upstreamId, long created, string model, IBufferWriter<byte> output)
    {
        if (_id is not null)
        {
            return;
        }
        _id = ResponsesResponseWriter.ResponseId(upstreamId);
        _created = created;
        _upstreamModel = model;
        var head = Head("in_progress");
        WriteEvent(output, ResponsesEventTypes.Created, head, static (w, head, self) => self.WriteResponseMember(w, head));
        WriteEvent(output, ResponsesEventTypes.InProgress, head, static (w, head, self) => self.WriteResponseMember(w, head));
    }

    private void EnsureStarted(IBufferWriter<byte> output)
    {
        if (_id is null)
        {
            Start(ResponsesClientItem.NewId("resp"), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), _request.Model, output);
        }
    }

    /// <summary>The upstream failed: OpenAI's <c>error</c> event, then <c>response.failed</c> with the items so far.</summary>
    private void Fail(StreamErrorEvent error, IBufferWriter<byte> output)
    {
        EnsureStarted(output);
        _ended = true;
        WriteEvent(output, ResponsesEventTypes.Error, error, static (w, error, _) =>
            ResponsesClientDialect.WriteErrorMembers(w, error.Type, error.Code, error.Message, error.Param));
        var head = Head("failed") with { Error = error, Usage = _usage };
        WriteEvent(output, ResponsesEventTypes.Failed, head, static (w, head, self) => self.WriteResponseMember(w, head));
    }

    private ResponsesClientHead Head(string status) => new(_id!, _created, _model ?? _upstreamModel, status);

    private void WriteResponseMember(Utf8JsonWriter writer, ResponsesClientHead head)
    {
        writer.WritePropertyName("response"u8);
        ResponsesResponseWriter.WriteObject(writer, head, _items, _request);
    }

    /// <summary>One SSE frame: <c>event:</c> line, then the data object with <c>type</c> and <c>sequence_number</c>
    /// first and the members <paramref name="body"/> writes.</summary>
    private void WriteEvent<TState>(IBufferWriter<byte> output, string type, TState state, Action<Utf8JsonWriter, TState, ResponsesStreamWriter> body)
    {
        Append(output, "event: "u8);
        Append(output, System.Text.Encoding.UTF8.GetBytes(type));
        Append(output, "\ndata: "u8);
        if (_json is null)
        {
            _json = new Utf8JsonWriter(output, WireWriting.WriterOptions);
        }
        else
        {
            _json.Reset(output);
        }
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
        _json.WriteNumber("sequence_number"u8, _sequence++);
        body(_json, state, this);
        _json.WriteEndObject();
        _json.Flush();
        Append(output, "\n\n"u8);
    }

    private static void Append(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
