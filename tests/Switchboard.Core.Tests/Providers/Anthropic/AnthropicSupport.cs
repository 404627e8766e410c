using System.Buffers;
using System.Text.Json.Nodes;

namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>One server-sent event: its <c>event:</c> name and <c>data:</c> payload.</summary>
public sealed record SseEvent(string Name, string Data);

/// <summary>Anthropic SSE framing and the recorded Anthropic streams.</summary>
public static class AnthropicSse
{
    /// <summary>File names of the recorded Anthropic streams in shared/fixtures/anthropic.</summary>
    public static IEnumerable<object[]> RecordedStreams()
    {
        if (SharedFixtures.Directory is null)
        {
            return [];
        }
        return Directory.GetFiles(Path.Combine(SharedFixtures.Directory, "anthropic"), "*.sse")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new object[] { name! });
    }

    public static List<SseEvent> Recorded(string fixture) =>
        Parse(File.ReadAllText(SharedFixtures.PathOf($"anthropic/{fixture}")));

    /// <summary>Events of an SSE text: blank-line separated, <c>event:</c> and <c>data:</c> lines.</summary>
    public static List<SseEvent> Parse(string text)
    {
        var events = new List<SseEvent>();
        string? name = null;
        var data = new StringBuilder();
        foreach (var raw in (text + "\n\n").Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                if (data.Length > 0 || name is not null)
                {
                    events.Add(new SseEvent(name ?? "", data.ToString()));
                }
                name = null;
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(data.Length > 0 ? "\n" : "").Append(line[5..].TrimStart(' '));
            }
        }
        return events;
    }

    /// <summary>Splits writer output, checking every frame is exactly <c>event: X\ndata: {json}\n\n</c>
    /// with the data's type equal to the event name.</summary>
    public static List<SseEvent> FramesOf(byte[] output)
    {
        var text = Encoding.UTF8.GetString(output);
        var frames = new List<SseEvent>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf("\n\n", start, StringComparison.Ordinal);
            Assert.True(end > start, $"frame at {start} is not terminated by a blank line");
            var lines = text[start..end].Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var frame = new SseEvent(lines[0]["event: ".Length..], lines[1]["data: ".Length..]);
            using (var document = JsonDocument.Parse(frame.Data))
            {
                Assert.Equal(frame.Name, document.RootElement.GetProperty("type").GetString());
            }
            frames.Add(frame);
            start = end + 2;
        }
        return frames;
    }

    /// <summary>Recorded events → <see cref="AnthropicMessagesStreamReader"/>, one batch per event.</summary>
    public static (List<List<StreamEvent>> Batches, AnthropicMessagesStreamReader Reader) Read(IEnumerable<SseEvent> events, AnthropicReadOptions? options = null)
    {
        var reader = new AnthropicMessagesStreamReader(options);
        var batches = new List<List<StreamEvent>>();
        foreach (var e in events)
        {
            var batch = new List<StreamEvent>();
            Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(e.Name), Encoding.UTF8.GetBytes(e.Data), batch, out var error), error?.ToString());
            batches.Add(batch);
        }
        return (batches, reader);
    }

    /// <summary>Canonical batches → <see cref="AnthropicMessagesStreamWriter"/> (completed at the end, as the
    /// gateway does after a clean upstream end) → frames.</summary>
    public static List<SseEvent> WriteAnthropic(IEnumerable<List<StreamEvent>> batches, bool complete = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new AnthropicMessagesStreamWriter();
        foreach (var batch in batches)
        {
            writer.Write(batch, buffer);
        }
        if (complete)
        {
            writer.Complete(buffer);
        }
        return FramesOf(buffer.WrittenSpan.ToArray());
    }

    /// <summary>Canonical batches → <see cref="OpenAIChatStreamWriter"/> (with usage) → chunk payloads.</summary>
    public static List<string> WriteOpenAI(IEnumerable<List<StreamEvent>> batches) =>
        Sse.FramesOf(StreamPipeline.WriteAll(batches, new OpenAIChatStreamWriterOptions { IncludeUsage = true }));
}

/// <summary>
/// What an Anthropic SDK accumulates from a Messages stream (computed from the frames' JSON, independently
/// of the code under test): the message identity, its blocks by index with text/thinking/signature
/// appended and tool input JSON concatenated, stop reason and the usage as merged from
/// <c>message_start</c> and <c>message_delta</c>.
/// </summary>
public sealed class AnthropicAccumulation
{
    private readonly SortedDictionary<int, JsonObject> _blocks = [];
    private readonly Dictionary<int, StringBuilder> _inputs = [];

    public string? Id { get; private set; }

    public string? Model { get; private set; }

    public string? StopReason { get; private set; }

    public JsonObject Usage { get; } = [];

    public bool Stopped { get; private set; }

    public List<string> Errors { get; } = [];

    /// <summary>Blocks in index order; tool_use input as the concatenated JSON text.</summary>
    public IReadOnlyCollection<JsonObject> Blocks => _blocks.Values;

    public static AnthropicAccumulation Of(IEnumerable<SseEvent> events)
    {
        var accumulation = new AnthropicAccumulation();
        foreach (var e in events)
        {
            accumulation.Add(JsonNode.Parse(e.Data)!.AsObject());
        }
        return accumulation;
    }

    public string? InputOf(int index) => _inputs.TryGetValue(index, out var input) ? input.ToString() : null;

    /// <summary>A deterministic text form for whole-message comparison. Empty text blocks are left out
    /// (they add nothing), usage counts not reported read as 0.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"id={Id} model={Model} stop_reason={StopReason} stopped={Stopped}");
        foreach (var name in new[] { "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens" })
        {
            text.AppendLine($"usage {name}={(Usage[name] is JsonValue v ? v.GetValue<int>() : 0)}");
        }
        var position = 0;
        foreach (var (index, block) in _blocks)
        {
            var type = block["type"]!.GetValue<string>();
            switch (type)
            {
                case "text":
                    var value = block["text"]!.GetValue<string>();
                    if (value.Length > 0)
                    {
                        text.AppendLine($"block {position++}: text {JsonSerializer.Serialize(value)}");
                    }
                    break;
                case "thinking":
                    text.AppendLine($"block {position++}: thinking {JsonSerializer.Serialize(block["thinking"]!.GetValue<string>())} signature={block["signature"]}");
                    break;
                case "tool_use":
                    text.AppendLine($"block {position++}: tool_use id={block["id"]} name={block["name"]} input={JsonInput(index)}");
                    break;
                default:
                    text.AppendLine($"block {position++}: {type} {JsonSemantic.Canonical(block.ToJsonString())}");
                    break;
            }
        }
        text.AppendLine($"errors={string.Join("|", Errors)}");
        return text.ToString();
    }

    /// <summary>The tool input in canonical JSON form when it parses, else the raw (partial) text.</summary>
    private string JsonInput(int index)
    {
        var raw = InputOf(index) ?? "";
        if (raw.Length == 0)
        {
            return JsonSemantic.Canonical(_blocks[index]["input"]!.ToJsonString());
        }
        try
        {
            return JsonSemantic.Canonical(raw);
        }
        catch (JsonException)
        {
            return "partial:" + raw;
        }
    }

    private void Add(JsonObject e)
    {
        switch (e["type"]!.GetValue<string>())
        {
            case "message_start":
                var message = e["message"]!.AsObject();
                Id = message["id"]!.GetValue<string>();
                Model = message["model"]!.GetValue<string>();
                MergeUsage(message["usage"]!.AsObject());
                break;
            case "content_block_start":
                _blocks[e["index"]!.GetValue<int>()] = e["content_block"]!.DeepClone().AsObject();
                break;
            case "content_block_delta":
                ApplyDelta(e["index"]!.GetValue<int>(), e["delta"]!.AsObject());
                break;
            case "message_delta":
                StopReason = e["delta"]!["stop_reason"]?.GetValue<string>();
                MergeUsage(e["usage"]!.AsObject());
                break;
            case "message_stop":
                Stopped = true;
                break;
            case "error":
                Errors.Add($"{e["error"]!["type"]}: {e["error"]!["message"]}");
                break;
        }
    }

    private void ApplyDelta(int index, JsonObject delta)
    {
        var block = _blocks[index];
        switch (delta["type"]!.GetValue<string>())
        {
            case "input_json_delta":
                if (!_inputs.TryGetValue(index, out var input))
                {
                    _inputs[index] = input = new StringBuilder();
                }
                input.Append(delta["partial_json"]!.GetValue<string>());
                break;
            case "signature_delta":
                block["signature"] = delta["signature"]!.GetValue<string>();
                break;
            default:
                // text_delta, thinking_delta, compaction_delta, ...: string members append.
                foreach (var (name, value) in delta)
                {
                    if (name != "type" && value is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        block[name] = (block[name] is JsonValue old && old.TryGetValue<string>(out var head) ? head : "") + s;
                    }
                }
                break;
        }
    }

    private void MergeUsage(JsonObject usage)
    {
        foreach (var (name, value) in usage)
        {
            if (value is JsonValue v && v.TryGetValue<int>(out var number))
            {
                Usage[name] = number;
            }
        }
    }
}
