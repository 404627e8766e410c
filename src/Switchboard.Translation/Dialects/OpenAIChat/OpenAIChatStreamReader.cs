using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Translation.Dialects.OpenAIChat;

/// <summary>
/// Turns <c>chat.completion.chunk</c> frames into <see cref="StreamEvent"/>s. One instance per stream:
/// it remembers only whether the start was announced and which tool calls have begun, so that servers
/// that repeat a call's id and name on every delta still yield one <see cref="ToolCallStartEvent"/>.
/// Deltas explicitly present as <c>""</c> are passed on, so an OpenAI-to-OpenAI stream is rebuilt frame
/// for frame by <see cref="OpenAIChatStreamWriter"/>.
/// </summary>
public sealed class OpenAIChatStreamReader
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
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = new ValidationError(null, "stream chunk must be a JSON object", ValidationError.InvalidType);
                return false;
            }
            ReadChunk(ref reader, events, firstEvent);
            error = null;
            return true;
        }
        catch (WireFormatException e)
        {
            events.RemoveRange(firstEvent, events.Count - firstEvent);
            error = e.Error;
            return false;
        }
        catch (JsonException e)
        {
            events.RemoveRange(firstEvent, events.Count - firstEvent);
            error = new ValidationError(null, $"stream chunk is not valid JSON: {e.Message}", ValidationError.InvalidJson);
            return false;
        }
    }

    private void ReadChunk(ref Utf8JsonReader reader, List<StreamEvent> events, int firstEvent)
    {
        string? id = null;
        string? model = null;
        string? fingerprint = null;
        long created = 0;
        var hasChoices = false;
        Usage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // The identity repeats on every frame but is needed once: later frames skip it unread.
            if (_started && !reader.ValueTextEquals("choices"u8) && !reader.ValueTextEquals("usage"u8) && !reader.ValueTextEquals("error"u8))
            {
                ReadValue(ref reader);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                ReadValue(ref reader);
                id = ReadOptionalString(ref reader, "", "id");
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                ReadValue(ref reader);
                created = ReadOptionalLong(ref reader, "", "created") ?? 0;
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                ReadValue(ref reader);
                model = ReadOptionalString(ref reader, "", "model");
            }
            else if (reader.ValueTextEquals("system_fingerprint"u8))
            {
                ReadValue(ref reader);
                fingerprint = ReadOptionalString(ref reader, "", "system_fingerprint");
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
                usage = reader.TokenType == JsonTokenType.Null ? null : OpenAIChatUsage.Read(ref reader, "usage");
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                ReadValue(ref reader);
                events.Add(ReadError(ref reader));
            }
            else
            {
                ReadValue(ref reader);
                reader.Skip();
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
            events.Insert(firstEvent, new StreamStartEvent(id ?? "", model ?? "", created) { SystemFingerprint = fingerprint });
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
                ReadValue(ref reader);
                reader.Skip();
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

    private Delta ReadDelta(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }
        ExpectObject(ref reader, "choices", "delta");
        var delta = default(Delta);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                ReadValue(ref reader);
                delta.Content = ReadOptionalString(ref reader, "delta", "content");
            }
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
            {
                ReadValue(ref reader);
                delta.Reasoning ??= reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipValue(ref reader);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                ReadValue(ref reader);
                delta.Refusal = ReadOptionalString(ref reader, "delta", "refusal");
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                ReadValue(ref reader);
                ReadToolCallDeltas(ref reader);
            }
            else if (reader.ValueTextEquals("function_call"u8))
            {
                ReadValue(ref reader);
                if (reader.TokenType != JsonTokenType.Null)
                {
                    _toolDeltas.Add(ReadToolCallDelta(ref reader, legacy: true));
                }
            }
            else if (reader.ValueTextEquals("thinking_blocks"u8))
            {
                ReadValue(ref reader);
                ReadThinkingBlocks(ref reader, ref delta);
            }
            else
            {
                ReadValue(ref reader);
                reader.Skip();
            }
        }
        return delta;
    }

    private void ReadToolCallDeltas(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType("delta.tool_calls", "an array");
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            _toolDeltas.Add(ReadToolCallDelta(ref reader, legacy: false));
        }
    }

    /// <summary>Reads a <c>tool_calls[]</c> entry, or a legacy <c>function_call</c> delta (index 0, no id).</summary>
    private ToolDelta ReadToolCallDelta(ref Utf8JsonReader reader, bool legacy)
    {
        ExpectObject(ref reader, "delta", "tool_calls");
        var tool = new ToolDelta { Index = legacy ? 0 : _toolDeltas.Count };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                ReadValue(ref reader);
                tool.Index = ReadOptionalInt(ref reader, "delta.tool_calls", "index", min: 0) ?? tool.Index;
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                ReadValue(ref reader);
                tool.Id = ReadOptionalString(ref reader, "delta.tool_calls", "id");
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                ReadValue(ref reader);
                tool.Name = ReadOptionalString(ref reader, "delta.function_call", "name");
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                ReadValue(ref reader);
                tool.Arguments = ReadOptionalString(ref reader, "delta.function_call", "arguments");
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                ReadValue(ref reader);
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }
                ExpectObject(ref reader, "delta.tool_calls", "function");
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("name"u8))
                    {
                        ReadValue(ref reader);
                        tool.Name = ReadOptionalString(ref reader, "delta.tool_calls.function", "name");
                    }
                    else if (reader.ValueTextEquals("arguments"u8))
                    {
                        ReadValue(ref reader);
                        tool.Arguments = ReadOptionalString(ref reader, "delta.tool_calls.function", "arguments");
                    }
                    else
                    {
                        ReadValue(ref reader);
                        reader.Skip();
                    }
                }
            }
            else if (reader.ValueTextEquals("extra_content"u8))
            {
                ReadValue(ref reader);
                tool.Signature = OpenAIChatToolCallReader.ReadGoogleThoughtSignature(ref reader);
            }
            else
            {
                ReadValue(ref reader);
                reader.Skip();
            }
        }
        return tool;
    }

    /// <summary>LiteLLM streams a thinking block's signature (and redacted blocks) in
    /// <c>delta.thinking_blocks</c>; the text itself also comes as <c>reasoning_content</c>, so only the
    /// text of deltas without <c>reasoning_content</c> is taken from here.</summary>
    private static void ReadThinkingBlocks(ref Utf8JsonReader reader, ref Delta delta)
    {
        var blocks = JsonElement.ParseValue(ref reader);
        if (blocks.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type"u8, out var type))
            {
                continue;
            }
            if (type.ValueEquals("redacted_thinking"u8) && block.TryGetProperty("data"u8, out var data) && data.ValueKind == JsonValueKind.String)
            {
                delta.RedactedThinking = data.GetString();
            }
            else if (type.ValueEquals("thinking"u8))
            {
                if (block.TryGetProperty("signature"u8, out var signature) && signature.ValueKind == JsonValueKind.String
                    && signature.GetString() is { Length: > 0 } value)
                {
                    delta.Signature = value;
                }
                if (delta.Reasoning is null && block.TryGetProperty("thinking"u8, out var text)
                    && text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 } thinking)
                {
                    delta.ThinkingFromBlocks = thinking;
                }
            }
        }
        delta.Reasoning ??= delta.ThinkingFromBlocks;
    }

    private static StreamErrorEvent ReadError(ref Utf8JsonReader reader)
    {
        var error = JsonElement.ParseValue(ref reader);
        if (error.ValueKind == JsonValueKind.String)
        {
            return new StreamErrorEvent(error.GetString() ?? "upstream error");
        }
        if (error.ValueKind != JsonValueKind.Object)
        {
            return new StreamErrorEvent("upstream error");
        }
        return new StreamErrorEvent(StringMember(error, "message") ?? "upstream error")
        {
            Type = StringMember(error, "type"),
            Code = error.TryGetProperty("code"u8, out var code) && code.ValueKind == JsonValueKind.Number ? code.GetRawText() : StringMember(error, "code"),
            Param = StringMember(error, "param"),
        };
    }

    private static string? StringMember(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
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
