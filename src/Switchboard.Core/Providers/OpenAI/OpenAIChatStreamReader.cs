using Switchboard.Translation;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

// The canonical Usage, not the Switchboard.Usage namespace of the ledger records.
using Usage = Switchboard.Translation.Canonical.Usage;

/// <summary>
/// Turns <c>chat.completion.chunk</c> frames into <see cref="StreamEvent"/>s. One instance per stream:
/// it remembers only whether the start was announced and which tool calls have begun, so that servers
/// that repeat a call's id and name on every delta still yield one <see cref="ToolCallStartEvent"/>.
/// Deltas explicitly present as <c>""</c> are passed on, so an OpenAI-to-OpenAI stream is rebuilt frame
/// for frame by <see cref="OpenAIChatStreamWriter"/>.
/// </summary>
public sealed partial class OpenAIChatStreamReader
{
    private readonly List<ToolDelta> _toolDeltas = [];
    private HashSet<long>? _startedTools;
    private bool _started;

    /// <summary>True for the <c>[DONE]</c> sentinel that ends an OpenAI stream.</summary>
    public static bool IsDone(ReadOnlySpan<byte> data) => data.Trim(" \r\n\t"u8).SequenceEqual("[DONE]"u8);

    /// <summary>
    /// Reads one frame's data (the text after <c>data: </c>) and appends its events to
    /// <paramref name="events"/>. A frame with an <c>error</c> object yields a <see cref="StreamErrorEvent"/>.
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
            ReadChunk(ref reader, events, firstEvent);
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

    private void ReadChunk(ref Utf8JsonReader reader, List<StreamEvent> events, int firstEvent)
    {
        var identity = default(OpenAIChatIdentity);
        var hasChoices = false;
        Usage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // The identity repeats on every frame but is needed once: later frames skip it unread.
            if (_started && !reader.ValueTextEquals("choices"u8) && !reader.ValueTextEquals("usage"u8) && !reader.ValueTextEquals("error"u8))
            {
                SkipValue(ref reader);
            }
            else if (identity.TryRead(ref reader))
            {
                // Read into the identity, announced with the first frame that carries the response.
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                ReadValue(ref reader);
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw WrongType("choices", "an array");
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    hasChoices = true;
                    ReadChoice(ref reader, events);
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                ReadValue(ref reader);
                usage = reader.TokenType == JsonTokenType.Null ? null : OpenAIChatUsage.Read(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                ReadValue(ref reader);
                events.Add(ReadError(ref reader));
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        if (usage is not null)
        {
            events.Add(new UsageEvent(usage));
        }
        // Azure opens with a frame of prompt_filter_results and empty identity; the start waits for a
        // frame that carries the response.
        if (!_started && (hasChoices || usage is not null))
        {
            _started = true;
            events.Insert(firstEvent, new StreamStartEvent(identity.Id ?? "", identity.Model ?? "", identity.Created) { SystemFingerprint = identity.Fingerprint });
        }
    }

    private void ReadChoice(ref Utf8JsonReader reader, List<StreamEvent> events)
    {
        ExpectObject(ref reader, "choices", "");
        var index = 0;
        var delta = default(Delta);
        JsonElement? logprobs = null;
        string? finish = null;
        _toolDeltas.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                ReadValue(ref reader);
                index = ReadOptionalInt(ref reader, "choices", "index", min: 0) ?? 0;
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                ReadValue(ref reader);
                delta = ReadDelta(ref reader);
            }
            else if (reader.ValueTextEquals("logprobs"u8))
            {
                ReadValue(ref reader);
                logprobs = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                ReadValue(ref reader);
                finish = ReadOptionalString(ref reader, "choices", "finish_reason");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        // Canonical order within a frame: thinking, answer, refusal, tool calls, logprobs, finish.
        if (delta.Reasoning is not null)
        {
            events.Add(new ThinkingDeltaEvent(index, delta.Reasoning));
        }
        if (delta.Signature is not null)
        {
            events.Add(new SignatureDeltaEvent(index, delta.Signature));
        }
        if (delta.RedactedThinking is not null)
        {
            events.Add(new RedactedThinkingEvent(index, delta.RedactedThinking));
        }
        if (delta.Content is not null)
        {
            events.Add(new TextDeltaEvent(index, delta.Content));
        }
        if (delta.Refusal is not null)
        {
            events.Add(new RefusalDeltaEvent(index, delta.Refusal));
        }
        foreach (var tool in _toolDeltas)
        {
            AddToolEvents(events, index, tool);
        }
        if (logprobs is { } raw)
        {
            events.Add(new LogprobsDeltaEvent(index, raw));
        }
        if (finish is not null)
        {
            events.Add(new FinishEvent(index, OpenAIChatFinishReasons.FromWire(finish)));
        }
    }

    private void AddToolEvents(List<StreamEvent> events, int choice, ToolDelta tool)
    {
        if (tool.Id is not null || tool.Name is not null)
        {
            _startedTools ??= [];
            if (_startedTools.Add(((long)choice << 32) | (uint)tool.Index))
            {
                events.Add(new ToolCallStartEvent(choice, tool.Index, tool.Id, tool.Name ?? "") { Signature = tool.Signature });
            }
        }
        if (!string.IsNullOrEmpty(tool.Arguments))
        {
            events.Add(new ToolCallArgumentsDeltaEvent(choice, tool.Index, tool.Arguments));
        }
    }

    /// <summary>What one choice's <c>delta</c> said, before it becomes events.</summary>
    private struct Delta
    {
        public string? Content;
        public string? Reasoning;
        public string? Refusal;
        public string? Signature;
        public string? RedactedThinking;
        public string? ThinkingFromBlocks;
    }

    private struct ToolDelta
    {
        public int Index;
        public string? Id;
        public string? Name;
        public string? Arguments;
        public string? Signature;
    }
}
