using System.Buffers;

namespace Switchboard.Core.Tests.Translation.Support;

/// <summary>Upstream chunks → <see cref="OpenAIChatStreamReader"/> → canonical events →
/// <see cref="OpenAIChatStreamWriter"/> → client frames, one upstream frame at a time as the gateway does.</summary>
public static class StreamPipeline
{
    public sealed record Result(List<List<StreamEvent>> EventsPerChunk, List<string> Frames, byte[] Output)
    {
        public IEnumerable<StreamEvent> Events => EventsPerChunk.SelectMany(e => e);
    }

    public static List<List<StreamEvent>> ReadEvents(IEnumerable<string> chunks)
    {
        var reader = new OpenAIChatStreamReader();
        var all = new List<List<StreamEvent>>();
        foreach (var chunk in chunks)
        {
            var events = new List<StreamEvent>();
            Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(chunk), events, out var error), error?.ToString());
            all.Add(events);
        }
        return all;
    }

    public static Result Run(IEnumerable<string> chunks, OpenAIChatStreamWriterOptions options)
    {
        var eventsPerChunk = ReadEvents(chunks);
        var output = WriteAll(eventsPerChunk, options);
        return new Result(eventsPerChunk, Sse.FramesOf(output), output);
    }

    public static byte[] WriteAll(IEnumerable<List<StreamEvent>> batches, OpenAIChatStreamWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new OpenAIChatStreamWriter(options);
        foreach (var batch in batches)
        {
            writer.Write(batch, buffer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Checks what every OpenAI stream promises a client: one identity on every frame; a choice's first
    /// frame, and only that one, carries role "assistant"; tool calls are numbered 0, 1, ... in order of
    /// appearance with id, type and name on their first delta only; a finish reason is a choice's last
    /// word; a usage frame has <c>choices: []</c> and comes after every choice frame.
    /// </summary>
    public static void AssertOpenAIShape(IReadOnlyList<string> frames)
    {
        var transcript = StreamTranscript.Of(frames);
        Assert.Single(transcript.Identities);
        var usageSeen = false;
        foreach (var frame in frames)
        {
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            if (root.TryGetProperty("error", out _))
            {
                Assert.Same(frame, frames[^1]);
                continue;
            }
            Assert.Equal("chat.completion.chunk", root.GetProperty("object").GetString());
            var choices = root.GetProperty("choices");
            var hasUsage = root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object;
            if (hasUsage)
            {
                Assert.Equal(0, choices.GetArrayLength());
                usageSeen = true;
            }
            else
            {
                Assert.False(usageSeen, "a choice frame came after the usage frame");
                Assert.Equal(1, choices.GetArrayLength());
            }
        }

        var firstFrameOfChoice = new Dictionary<int, bool>();
        foreach (var frame in frames)
        {
            using var document = JsonDocument.Parse(frame);
            if (!document.RootElement.TryGetProperty("choices", out var choices))
            {
                continue;
            }
            foreach (var choice in choices.EnumerateArray())
            {
                var index = choice.GetProperty("index").GetInt32();
                var isFirst = firstFrameOfChoice.TryAdd(index, true);
                var hasRole = choice.GetProperty("delta").TryGetProperty("role", out var role);
                Assert.Equal(isFirst, hasRole);
                if (hasRole)
                {
                    Assert.Equal("assistant", role.GetString());
                }
            }
        }

        foreach (var (index, choice) in transcript.Choices)
        {
            Assert.Equal(1, choice.RoleCount);
            Assert.True(choice.FinishCount <= 1, $"choice {index} finished {choice.FinishCount} times");
            Assert.False(choice.DeltaAfterFinish, $"choice {index} had deltas after its finish reason");
            Assert.Equal(Enumerable.Range(0, choice.ToolOrder.Count), choice.ToolOrder);
            foreach (var (toolIndex, tool) in choice.Tools)
            {
                Assert.True(tool.HeaderCount == 1 && tool.HeaderOnFirstDelta, $"choice {index} tool {toolIndex}: id/type/name must come once, on the first delta");
                Assert.Equal("function", tool.Type);
                Assert.NotNull(tool.Id);
                Assert.NotNull(tool.Name);
            }
        }
    }
}
