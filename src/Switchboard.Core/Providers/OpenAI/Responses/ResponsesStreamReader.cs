using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchboard.Errors;
using Switchboard.Translation;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using T = Switchboard.Providers.OpenAI.Responses.ResponsesEventTypes;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// Turns a Responses API event stream from an upstream into <see cref="StreamEvent"/>s (one choice). One instance
/// per stream: it keeps which output item each <c>output_index</c> is, so argument fragments find their call.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>response.created</c> → <see cref="StreamStartEvent"/>; <c>output_text.delta</c>, <c>refusal.delta</c> →
/// text and refusal deltas.</item>
/// <item>A <c>function_call</c> or <c>custom_tool_call</c> item's <c>output_item.added</c> →
/// <see cref="ToolCallStartEvent"/> (<c>call_id</c> as id, the output index as tool index, <see cref="ToolCallKind"/>
/// told apart); its <c>function_call_arguments.delta</c> / <c>custom_tool_call_input.delta</c> → argument deltas. When
/// no fragment came, the arguments of its <c>output_item.done</c> are sent as one.</item>
/// <item><c>reasoning_summary_text.delta</c> (and raw <c>reasoning_text.delta</c>) → thinking deltas, summary parts
/// separated by a blank line as <see cref="ResponsesResponseReader"/> joins them; the reasoning item's
/// <c>encrypted_content</c>, which comes whole in its <c>output_item.done</c>, → <see cref="SignatureDeltaEvent"/>.</item>
/// <item>Hosted tool items (web search, shell, apply_patch ...) → one <see cref="ProviderBlockEvent"/> at their
/// <c>output_item.done</c>; their progress events yield nothing.</item>
/// <item><c>response.completed</c> / <c>response.incomplete</c> → <see cref="FinishEvent"/> and <see cref="UsageEvent"/>
/// and <see cref="IsComplete"/>; <c>error</c> and <c>response.failed</c> → one <see cref="StreamErrorEvent"/>.</item>
/// </list>
/// </remarks>
public sealed partial class ResponsesStreamReader : IUpstreamStreamReader
{
    private readonly Dictionary<int, Item> _items = [];
    private bool _started;
    private bool _sawToolCall;
    private bool _errorSent;

    /// <summary>The last <c>sequence_number</c> the upstream sent; null before any.</summary>
    public long? LastSequenceNumber { get; private set; }

    /// <summary>A relayed Responses stream that broke ends with an <c>error</c> event numbered after the upstream's last.</summary>
    public bool TryWriteRelayedFailure(GatewayError error, IBufferWriter<byte> output)
    {
        ResponsesClientDialect.WriteErrorEvent(error, LastSequenceNumber + 1 ?? 0, output);
        return true;
    }

    /// <summary>True once <c>response.completed</c> or <c>response.incomplete</c> arrived.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Reads one SSE event; the data's <c>type</c> decides (the <c>event:</c> name only when it has none).
    /// On a malformed event nothing is appended and <paramref name="error"/> says why.</summary>
    public bool TryRead(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, List<StreamEvent> events, [NotNullWhen(false)] out ValidationError? error)
    {
        ArgumentNullException.ThrowIfNull(events);
        const string What = "stream event data";
        var added = events.Count;
        var reader = new Utf8JsonReader(data);
        try
        {
            if (WireDocument.TryOpenObject(ref reader, What, out error))
            {
                var root = JsonElement.ParseValue(ref reader);
                if (root.TryGetProperty("sequence_number"u8, out var sequence) && sequence.ValueKind == JsonValueKind.Number && sequence.TryGetInt64(out var number)) LastSequenceNumber = number;
                Dispatch(ResponsesResponseReader.String(root, "type"u8, "type") ?? EventType(eventName), root, events);
            }
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            // All or nothing: what this event added before it failed is taken back.
            events.RemoveRange(added, events.Count - added);
            error = WireDocument.Explain(e, What);
        }
        return error is null;
    }

    private static string? EventType(ReadOnlySpan<byte> eventName)
    {
        var name = eventName.Trim(" \t\r"u8);
        return name.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(name);
    }

    /// <summary>Nothing is held back: usage and the finish come with the final event.</summary>
    public void Complete(List<StreamEvent> events)
    {
    }

    private void Dispatch(string? type, JsonElement root, List<StreamEvent> events)
    {
        switch (type)
        {
            case T.Created:
                Start(Response(root), events);
                break;
            case T.OutputTextDelta:
                AddDelta(root, events, static (_, text) => new TextDeltaEvent(0, text));
                break;
            case T.RefusalDelta:
                AddDelta(root, events, static (_, text) => new RefusalDeltaEvent(0, text));
                break;
            case T.ReasoningSummaryTextDelta or T.ReasoningTextDelta:
                AddDelta(root, events, static (_, text) => new ThinkingDeltaEvent(0, text));
                break;
            case T.ReasoningSummaryPartAdded:
                SummaryPartAdded(root, events);
                break;
            case T.FunctionCallArgumentsDelta or T.CustomToolCallInputDelta:
                ArgumentsDelta(root, events);
                break;
            case T.OutputItemAdded:
                ItemAdded(root, events);
                break;
            case T.OutputItemDone:
                ItemDone(root, events);
                break;
            case T.Completed or T.Incomplete:
                Finish(Response(root), events);
                break;
            case T.Failed:
                Failed(Response(root), events);
                break;
            case T.Error:
                Error(root, events);
                break;
            default:
                // response.in_progress, content_part.*, *.done summaries of what the deltas said, annotations,
                // hosted-tool progress, and event types yet to come: nothing to add.
                break;
        }
    }

    private void Start(JsonElement? response, List<StreamEvent> events)
    {
        if (_started)
        {
            return;
        }
        _started = true;
        string? id = null, model = null;
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (response is { } r)
        {
            id = ResponsesResponseReader.String(r, "id"u8, "response.id");
            model = ResponsesResponseReader.String(r, "model"u8, "response.model");
            if (ResponsesResponseReader.Member(r, "created_at"u8) is { ValueKind: JsonValueKind.Number } at && at.TryGetInt64(out var seconds))
            {
                created = seconds;
            }
        }
        events.Add(new StreamStartEvent(id ?? "", model ?? "", created));
    }

    private void Finish(JsonElement? response, List<StreamEvent> events)
    {
        Start(response, events);
        IsComplete = true;
        var status = response is { } r ? ResponsesResponseReader.String(r, "status"u8, "response.status") : null;
        var reason = response is { } s ? ResponsesResponseReader.IncompleteReason(s) : null;
        events.Add(new FinishEvent(0, ResponsesResponseReader.Finish(status, reason, _sawToolCall)));
        if (response is { } withUsage && ResponsesResponseReader.Member(withUsage, "usage"u8) is { ValueKind: JsonValueKind.Object } usage)
        {
            events.Add(new UsageEvent(ResponsesResponseReader.ReadUsage(usage)));
        }
    }

    private void Failed(JsonElement? response, List<StreamEvent> events)
    {
        Start(response, events);
        if (_errorSent)
        {
            return;
        }
        var error = response is { } r ? ResponsesResponseReader.Member(r, "error"u8) : null;
        events.Add(ErrorEvent(error is { ValueKind: JsonValueKind.Object } e ? e : default, "the upstream response failed"));
        _errorSent = true;
    }

    /// <summary>An <c>error</c> event: its fields flat on the event (as the API documents) or in an <c>error</c> object.</summary>
    private void Error(JsonElement root, List<StreamEvent> events)
    {
        Start(null, events);
        if (_errorSent)
        {
            return;
        }
        var inner = ResponsesResponseReader.Member(root, "error"u8);
        events.Add(ErrorEvent(inner is { ValueKind: JsonValueKind.Object } e ? e : root, "upstream error"));
        _errorSent = true;
    }

    private static StreamErrorEvent ErrorEvent(JsonElement error, string fallback)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return new StreamErrorEvent(fallback) { Type = "server_error" };
        }
        var type = Text(error, "type"u8);
        var code = Text(error, "code"u8);
        return new StreamErrorEvent(Text(error, "message"u8) ?? fallback)
        {
            // The error event's own "type" is the event's name; a nested or failed-response error says its kind in code.
            Type = type is null or T.Error ? code ?? "server_error" : type,
            Code = code,
            Param = Text(error, "param"u8),
        };
    }

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        ResponsesResponseReader.Member(element, name) switch
        {
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
            _ => null,
        };

    private static JsonElement? Response(JsonElement root) => ResponsesResponseReader.Member(root, "response"u8) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } response => response,
        _ => throw WireReading.WrongType("response", "an object"),
    };

    private void AddDelta(JsonElement root, List<StreamEvent> events, Func<int, string, StreamEvent> make)
    {
        Start(null, events);
        var delta = ResponsesResponseReader.String(root, "delta"u8, "delta") ?? throw WireReading.Missing("delta");
        if (delta.Length > 0)
        {
            var index = OutputIndex(root);
            if (_items.TryGetValue(index, out var item))
            {
                if (item.SeparatorPending)
                {
                    delta = ResponsesResponseReader.SummarySeparator + delta;
                    item.SeparatorPending = false;
                }
                item.SawDelta = true;
            }
            events.Add(make(index, delta));
        }
    }

    private static int OutputIndex(JsonElement root) =>
        ResponsesResponseReader.Member(root, "output_index"u8) switch
        {
            null => 0,
            { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var index) && index >= 0 => index,
            _ => throw WireReading.Fail("output_index", "must be a non-negative integer"),
        };
}
