using Switchboard.Translation;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.Anthropic;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Turns Messages API stream events into <see cref="StreamEvent"/>s. One instance per stream: it tracks
/// the open content blocks by Anthropic's block index, numbers tool calls 0, 1, ... in order (canonical
/// <see cref="ToolCallStartEvent.ToolIndex"/>, not the block index), and adds up the token counts that
/// arrive in <c>message_start</c> (input) and <c>message_delta</c> (output) into one
/// <see cref="UsageEvent"/> after the <see cref="FinishEvent"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>text, thinking, signature, tool-input deltas map one to one (empty fragments are dropped);
/// <c>redacted_thinking</c> is one <see cref="RedactedThinkingEvent"/>.</item>
/// <item>Other blocks (<c>server_tool_use</c>, <c>web_search_tool_result</c>, <c>compaction</c>, ...) are
/// put together from their start and deltas and handed on whole as a <see cref="ProviderBlockEvent"/> at
/// their <c>content_block_stop</c>.</item>
/// <item><c>citations_delta</c> has no canonical form and is dropped.</item>
/// <item>An <c>error</c> event becomes a <see cref="StreamErrorEvent"/> (Anthropic's type in
/// <see cref="StreamErrorEvent.Code"/>); <c>ping</c> and unknown events yield nothing.</item>
/// <item>With <see cref="AnthropicReadOptions.JsonToolName"/>, the answer tool's input deltas are text and
/// its <c>tool_use</c> stop is a natural stop.</item>
/// </list>
/// A stream is whole only when <see cref="IsComplete"/>: one that ends before <c>message_stop</c> was cut.
/// </remarks>
public sealed partial class AnthropicMessagesStreamReader
{
    private readonly AnthropicReadOptions _options;
    private readonly List<Block?> _blocks = [];
    private AnthropicTokens _tokens;
    private int _nextToolIndex;
    private bool _started;
    private bool _usageSent;
    private bool _jsonAnswered;
    private bool _toolCalled;

    public AnthropicMessagesStreamReader(AnthropicReadOptions? options = null)
    {
        _options = options ?? AnthropicReadOptions.Default;
    }

    /// <summary>True once <c>message_stop</c> arrived: the answer is complete.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>The stop reason from <c>message_delta</c>, as Anthropic said it; null until then.</summary>
    public string? StopReason { get; private set; }

    /// <summary>The matched stop sequence from <c>message_delta</c>, when the stop reason is <c>stop_sequence</c>.</summary>
    public string? StopSequence { get; private set; }

    /// <summary>The usage known so far (input from <c>message_start</c>, output once <c>message_delta</c>
    /// came); lets a cut stream still be accounted. Null before any count.</summary>
    public Usage? Usage => _tokens.HasAny ? _tokens.ToUsage() : null;

    /// <summary>
    /// Reads one event: its <c>event:</c> name (may be empty: the data's <c>type</c> decides) and its
    /// <c>data:</c> JSON, appending what it says to <paramref name="events"/>. On a malformed event nothing
    /// is appended and <paramref name="error"/> says why.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data, List<StreamEvent> events, [NotNullWhen(false)] out ValidationError? error)
    {
        ArgumentNullException.ThrowIfNull(events);
        var firstEvent = events.Count;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!WireDocument.TryOpenObject(ref reader, "stream event data", out error))
            {
                return false;
            }
            var type = eventName.Trim(" \t\r"u8);
            var typeFromData = type.IsEmpty ? PeekType(reader) : null;
            if (typeFromData is not null)
            {
                type = typeFromData;
            }
            Dispatch(type, ref reader, events);
            error = null;
            return true;
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            events.RemoveRange(firstEvent, events.Count - firstEvent);
            error = WireDocument.Explain(e, "stream event data");
            return false;
        }
    }

    private void Dispatch(ReadOnlySpan<byte> type, ref Utf8JsonReader reader, List<StreamEvent> events)
    {
        if (type.SequenceEqual("content_block_delta"u8))
        {
            ReadBlockDelta(ref reader, events);
        }
        else if (type.SequenceEqual("content_block_start"u8))
        {
            ReadBlockStart(ref reader, events);
        }
        else if (type.SequenceEqual("content_block_stop"u8))
        {
            ReadBlockStop(ref reader, events);
        }
        else if (type.SequenceEqual("message_start"u8))
        {
            ReadMessageStart(ref reader, events);
        }
        else if (type.SequenceEqual("message_delta"u8))
        {
            ReadMessageDelta(ref reader, events);
        }
        else if (type.SequenceEqual("message_stop"u8))
        {
            IsComplete = true;
            AddUsage(events);
        }
        else if (type.SequenceEqual("error"u8))
        {
            events.Add(ReadError(ref reader));
        }
        // ping, and event types yet to come: nothing to say.
    }

    private void ReadMessageStart(ref Utf8JsonReader reader, List<StreamEvent> events)
    {
        string? id = null;
        string? model = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("message"u8))
            {
                SkipValue(ref reader);
                continue;
            }
            ReadValue(ref reader);
            ExpectObject(ref reader, "message", "");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (TryReadString(ref reader, "id"u8, "message", ref id)
                    || TryReadString(ref reader, "model"u8, "message", ref model))
                {
                    continue;
                }
                if (reader.ValueTextEquals("usage"u8))
                {
                    ReadValue(ref reader);
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        _tokens.Merge(AnthropicTokens.ReadCounts(ref reader, "message.usage"));
                    }
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
        }
        if (!_started)
        {
            _started = true;
            events.Add(new StreamStartEvent(id ?? "", model ?? "", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        }
    }

    private void ReadMessageDelta(ref Utf8JsonReader reader, List<StreamEvent> events)
    {
        string? stopReason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                ReadValue(ref reader);
                ExpectObject(ref reader, "delta", "");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("stop_reason"u8))
                    {
                        ReadValue(ref reader);
                        stopReason = ReadOptionalString(ref reader, "delta", "stop_reason");
                    }
                    else if (reader.ValueTextEquals("stop_sequence"u8))
                    {
                        ReadValue(ref reader);
                        StopSequence = ReadOptionalString(ref reader, "delta", "stop_sequence");
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                ReadValue(ref reader);
                if (reader.TokenType != JsonTokenType.Null)
                {
                    _tokens.Merge(AnthropicTokens.ReadCounts(ref reader, "usage"));
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
        EnsureStarted(events);
        if (stopReason is not null)
        {
            StopReason = stopReason;
            var finish = AnthropicStopReasons.FromWire(stopReason);
            if (_jsonAnswered && !_toolCalled && finish.Kind == FinishReasonKind.ToolCalls)
            {
                finish = AnthropicStopReasons.JsonAnswer;
            }
            events.Add(new FinishEvent(0, finish));
        }
        _usageSent = false;
        AddUsage(events);
    }

    private void AddUsage(List<StreamEvent> events)
    {
        if (!_usageSent && _tokens.HasAny)
        {
            _usageSent = true;
            EnsureStarted(events);
            events.Add(new UsageEvent(_tokens.ToUsage()));
        }
    }

    private void EnsureStarted(List<StreamEvent> events)
    {
        if (!_started)
        {
            // Content before message_start: not what Anthropic sends, but the start must come first.
            _started = true;
            events.Add(new StreamStartEvent("", "", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        }
    }

    private static StreamErrorEvent ReadError(ref Utf8JsonReader reader)
    {
        var root = JsonElement.ParseValue(ref reader);
        var error = root.TryGetProperty("error"u8, out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
        var type = error.TryGetProperty("type"u8, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var message = error.TryGetProperty("message"u8, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return new StreamErrorEvent(message ?? "upstream error")
        {
            Type = AnthropicErrorTypes.ToOpenAI(type),
            Code = type,
        };
    }

    /// <summary>The data's top-level <c>type</c>, read on a copy of the reader.</summary>
    private static byte[]? PeekType(Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : null;
            }
            reader.Read();
            reader.Skip();
        }
        return null;
    }
}
